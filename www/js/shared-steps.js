// Split steps through shared memory: the transport the training worker
// and its helper use when the page is isolated across origins
// (`crossOriginIsolated`, which lets workers share a SharedArrayBuffer);
// without it they exchange messages instead (helper-link.js).
//
// A message between two workers wakes a sleeping thread, which then runs
// slower for a while on a shared, virtualised machine; waiting on shared
// memory by spinning for a moment keeps both threads running (the bench
// prints both transports' speed).
//
// One buffer per network holds one counter per packet kind, three flags,
// the helper's time on its last half (for the bench's breakdown) and one
// area per packet kind, sized by the wasm (`packetBytes`). The wasm says
// which packet to send or to wait for; this file only moves the word:
// the sender writes an area and bumps its counter, the receiver waits for
// the counter to change, so no area is ever written while it is read.

/** Indices of the Int32 flags after the counters (one per packet kind). */
export const SERVING = 3;  // 1 while the helper waits on this buffer, 0 while it takes messages
const LEAVE = 4;           // set by the worker when it drops this buffer
const FAILED = 5;          // set by the helper when a packet threw
const CTL_BYTES = 32;
const TIME_BYTES = 8;

/** How long a waiting side spins before it sleeps: longer than the usual
 * wait within a step (0.1-1 ms), short next to a pause for a snapshot. */
const SPIN_MS = 2;

const aligned = (n) => Math.ceil(n / 8) * 8;

/** Views of a shared buffer laid out for packets of `packetBytes` bytes
 * (by kind), with this side's record of the counters it has seen. */
export function views(sab, packetBytes) {
  let at = CTL_BYTES + TIME_BYTES;
  const areas = packetBytes.map((len) => {
    const v = new Uint8Array(sab, at, len);
    at += aligned(len);
    return v;
  });
  return {
    sab, packetBytes, areas,
    ctl: new Int32Array(sab, 0, CTL_BYTES / 4),
    helperMs: new Float64Array(sab, CTL_BYTES, 1),
    seen: packetBytes.map(() => 0),
  };
}

/** A fresh buffer (and its views) for packets of those sizes. */
export function allocate(packetBytes) {
  const bytes = CTL_BYTES + TIME_BYTES + packetBytes.reduce((s, n) => s + aligned(n), 0);
  return views(new SharedArrayBuffer(bytes), [...packetBytes]);
}

/** Bumps counter `i` and wakes a side sleeping on it. */
function bump(ctl, i) {
  Atomics.add(ctl, i, 1);
  Atomics.notify(ctl, i);
}

/** Wakes every side sleeping on a counter (a flag changed). */
function notifyAll(s) {
  s.areas.forEach((_, i) => Atomics.notify(s.ctl, i));
}

/** Waits until counter `i` differs from `seen`, or a flag ends the wait
 * (LEAVE, FAILED): spins for SPIN_MS, then sleeps in short waits. Returns
 * the counter's new value, or null if `deadline` (a performance.now()
 * time) passed or a flag was set. */
function waitForChange(ctl, i, seen, deadline) {
  const stop = () => Atomics.load(ctl, LEAVE) || Atomics.load(ctl, FAILED);
  const spinUntil = Math.min(deadline, performance.now() + SPIN_MS);
  for (let n = 0; ; n++) {
    const v = Atomics.load(ctl, i);
    if (v !== seen) return v;
    if (stop()) return null;
    if ((n & 63) === 0 && performance.now() >= spinUntil) break;
  }
  for (;;) {
    const left = deadline - performance.now();
    if (left <= 0) return null;
    Atomics.wait(ctl, i, seen, Math.min(left, 20));
    const v = Atomics.load(ctl, i);
    if (v !== seen) return v;
    if (stop()) return null;
  }
}

/** Tells a helper waiting on this buffer to go back to its messages. */
export function leave(s) {
  Atomics.store(s.ctl, LEAVE, 1);
  notifyAll(s);
}

/** One split step of trainer `t` through `s`, as the wasm leads it; `wake`
 * tells a helper that is on its messages to come to the buffer. Returns
 * the loss row, the worker's own and waiting time and the helper's, or
 * `failed` (the helper did not answer within `patienceMs` or threw: the
 * step was finished here). Synchronous, like `train`. */
export function sharedStep(t, s, patienceMs, wake) {
  const started = performance.now();
  let packet = null, ownDone = started, woken = false;
  for (;;) {
    const a = t.splitNext(packet, s.areas);
    packet = null;
    if (a.row) {
      return { row: a.row, ownMs: ownDone - started, waitMs: performance.now() - ownDone, helperMs: s.helperMs[0] };
    }
    if (a.send !== undefined) {
      bump(s.ctl, a.send);
      // The helper reads SERVING after it stops waiting and before it goes
      // back to its messages, so one of the two sees the other.
      if (!woken && Atomics.load(s.ctl, SERVING) === 0) { woken = true; wake(); }
      continue;
    }
    ownDone = performance.now();
    const v = waitForChange(s.ctl, a.receive, s.seen[a.receive], started + patienceMs);
    if (v === null || Atomics.load(s.ctl, FAILED)) return { row: t.splitAlone(), failed: true };
    s.seen[a.receive] = v;
    packet = s.areas[a.receive];
  }
}

/** The helper's side: runs the packets that come through `s` with
 * `helper` (a WasmHelper) until none has come for `idleMs` between steps,
 * or the worker drops the buffer. `check` runs before each packet (a test
 * makes it throw). A packet that throws sets FAILED, which ends the
 * worker's wait. */
export function serve(helper, s, { idleMs, patienceMs, check }) {
  const { ctl } = s;
  Atomics.store(ctl, SERVING, 1);
  let a = helper.next(null, s.areas);
  let busySince = performance.now();
  for (;;) {
    if (a.send !== undefined) {
      s.helperMs[0] = performance.now() - busySince;
      bump(ctl, a.send);
      a = helper.next(null, s.areas);
      continue;
    }
    const v = waitForChange(ctl, a.receive, s.seen[a.receive], performance.now() + (a.betweenSteps ? idleMs : patienceMs));
    if (v === null) {
      if (!a.betweenSteps || Atomics.load(ctl, LEAVE)) break;
      // Back to messages, unless a packet came meanwhile: the worker reads
      // SERVING after it bumps a counter, and sends a message to wake this
      // side if it reads 0.
      Atomics.store(ctl, SERVING, 0);
      if (Atomics.load(ctl, a.receive) === s.seen[a.receive]) return;
      Atomics.store(ctl, SERVING, 1);
      continue;
    }
    s.seen[a.receive] = v;
    if (a.betweenSteps) busySince = performance.now();
    try {
      check();
      a = helper.next(s.areas[a.receive], s.areas);
    } catch (err) {
      Atomics.store(ctl, FAILED, 1);
      notifyAll(s);
      Atomics.store(ctl, SERVING, 0);
      throw err;
    }
  }
  Atomics.store(ctl, SERVING, 0);
}
