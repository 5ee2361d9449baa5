// Steps split across the two workers through shared memory: the transport
// the training worker and its helper use when the page is isolated across
// origins (`crossOriginIsolated`, which lets workers share a
// SharedArrayBuffer); without it they exchange messages instead.
//
// Why: a message between two workers took 0.3-0.5 ms here, and the worker
// that waited for one went idle, and ran its next share up to 40% slower
// after waking (2 cores under a hypervisor). Waiting on shared memory by
// spinning for a moment keeps both threads running: in the same minutes
// `fast` went from 100-133 to 128-185 steps/s.
//
// One buffer per network holds counters, the two inverse-share losses (and
// the helper's time on the share, for the bench's breakdown) and three
// areas: the step packet (weights and batch, written by the worker), the
// z rows of its forward pass, and the helper's gradient. Each side
// writes an area and then bumps its counter; the other waits for the
// counter to change, so no area is ever written while it is read.

/** Indices of the Int32 counters and flags. */
export const C = {
  SHARE: 0,    // bumped by the worker: a packet for step STEP is ready
  ROWS: 1,     // bumped by the worker: the z rows are ready
  REPLY: 2,    // bumped by the helper: gradient and losses are ready (or FAILED)
  STEP: 3,
  SERVING: 4,  // 1 while the helper waits on this buffer, 0 while it takes messages
  LEAVE: 5,    // set by the worker when it drops this buffer
  FAILED: 6,   // set by the helper when a share threw
};
const CTL_BYTES = 32;
const LOSSES_BYTES = 24;  // rec, x, helper's milliseconds

/** How long a waiting side spins before it sleeps: longer than the usual
 * wait within a step (0.1-1 ms), short next to a pause for a snapshot. */
export const SPIN_MS = 2;

/** Views of a shared buffer laid out for packets of `packetLen`, `zLen` z
 * values and `gradLen` gradients. */
export function views(sab, packetLen, zLen, gradLen) {
  let at = CTL_BYTES + LOSSES_BYTES;
  const area = (len) => {
    const v = new Float32Array(sab, at, len);
    at += len * 4;
    return v;
  };
  return {
    sab, packetLen, zLen, gradLen,
    ctl: new Int32Array(sab, 0, CTL_BYTES / 4),
    losses: new Float64Array(sab, CTL_BYTES, 3),
    packet: area(packetLen),
    z: area(zLen),
    grads: area(gradLen),
  };
}

/** A fresh buffer (and its views) for those sizes. */
export function allocate(packetLen, zLen, gradLen) {
  const bytes = CTL_BYTES + LOSSES_BYTES + 4 * (packetLen + zLen + gradLen);
  return views(new SharedArrayBuffer(bytes), packetLen, zLen, gradLen);
}

/** Bumps counter `i` and wakes a side sleeping on it. */
export function bump(ctl, i) {
  Atomics.add(ctl, i, 1);
  Atomics.notify(ctl, i);
}

/** Waits until counter `i` differs from `seen` or LEAVE is set: spins for
 * SPIN_MS, then sleeps in short waits. Returns the counter's new value, or
 * null if `deadline` (a performance.now() time) passed or LEAVE was set. */
export function waitForChange(ctl, i, seen, deadline) {
  const spinUntil = Math.min(deadline, performance.now() + SPIN_MS);
  for (let n = 0; ; n++) {
    const v = Atomics.load(ctl, i);
    if (v !== seen) return v;
    if (Atomics.load(ctl, C.LEAVE)) return null;
    if ((n & 63) === 0 && performance.now() >= spinUntil) break;
  }
  for (;;) {
    const left = deadline - performance.now();
    if (left <= 0) return null;
    Atomics.wait(ctl, i, seen, Math.min(left, 20));
    const v = Atomics.load(ctl, i);
    if (v !== seen) return v;
    if (Atomics.load(ctl, C.LEAVE)) return null;
  }
}

/** Tells a helper waiting on this buffer to go back to its messages. */
export function leave(s) {
  Atomics.store(s.ctl, C.LEAVE, 1);
  Atomics.notify(s.ctl, C.SHARE);
  Atomics.notify(s.ctl, C.ROWS);
}
