// The training worker's link to its helper worker (helper.js) on a second
// core, which runs the inverse half of each step while this worker runs
// the forward half. The helper gets each network's opening once, then the
// packets of every step. Until it has answered, and for good if it fails,
// steps run here alone, which gives the same bits.
import { allocate, leave, sharedStep } from './shared-steps.js';

// How long a step waits for the helper before going on alone: this plus
// 20 times the slowest answer so far (the paper preset's take ~0.3 s).
const PATIENCE_MS = 2000;

export const helper = {
  worker: null,
  owner: null,      // the run whose network the helper holds
  ready: false,
  generation: 0,    // replies of an older network or a failed request are ignored
  waiting: null,
  shared: null,     // the memory steps go through, for the network the helper holds
  sharedCount: 0,
  slowestMs: 0,
  // Milliseconds of the shared steps: this worker's own half, its wait
  // for the helper, and the helper's half (for the bench's breakdown).
  timing: null,
  /** Called with the helper's readiness when it changes. */
  onReady: () => {},

  resetTiming() {
    this.timing = { steps: 0, own: 0, wait: 0, helper: 0 };
  },

  /** Whether steps go through shared memory: only a page isolated across
   * origins may share it (the server sends the headers for it). */
  get sharesMemory() {
    return self.crossOriginIsolated === true;
  },

  get patienceMs() {
    return PATIENCE_MS + 20 * this.slowestMs;
  },

  start() {
    this.resetTiming();
    if ((self.navigator.hardwareConcurrency || 1) < 2) return;
    try {
      this.worker = new Worker(new URL('./helper.js', import.meta.url), { type: 'module' });
    } catch {
      return;
    }
    this.worker.onmessage = (e) => this.receive(e.data);
    this.worker.onerror = () => this.fail();
  },

  /** Whether the next step of `run` can be split; if the helper holds
   * another network, it is given this one's opening for the steps after. */
  canSplit(run) {
    if (!this.worker) return false;
    if (this.owner !== run) {
      // A step of the previous network still waiting for its reply (a
      // model loaded while training) goes on without it: its answer will
      // carry the old generation and be dropped.
      this.abandonWaiting();
      this.dropShared();
      this.owner = run;
      if (this.ready) this.onReady(false);
      this.ready = false;
      this.generation += 1;
      const opening = run.trainer.helperOpening();
      this.worker.postMessage({ type: 'open', generation: this.generation, opening }, [opening.buffer]);
    }
    return this.ready;
  },

  /** One split step of `run`: its loss row, or null if the run was freed
   * meanwhile. The helper's packets go through shared memory where the
   * page may share it, else by message. */
  step(run) {
    return this.sharesMemory ? this.sharedStep(run) : this.messageStep(run);
  },

  sharedStep(run) {
    const s = this.sharedFor(run.trainer);
    const wake = () => this.worker.postMessage({ type: 'serve', generation: this.generation, id: s.id, sab: s.sab, packetBytes: s.packetBytes });
    const r = sharedStep(run.trainer, s, this.patienceMs, wake);
    if (r.failed) {
      this.fail();
      return r.row;
    }
    this.slowestMs = Math.max(this.slowestMs, r.ownMs + r.waitMs);
    const tm = this.timing;
    tm.steps += 1;
    tm.own += r.ownMs;
    tm.wait += r.waitMs;
    tm.helper += r.helperMs;
    return r.row;
  },

  async messageStep(run) {
    const t = run.trainer;
    const started = performance.now();
    let packet = null;
    for (;;) {
      const a = t.splitNext(packet, null);
      packet = null;
      if (a.row) return a.row;
      if (a.send !== undefined) {
        // Moved, not copied: cloning the weights and batch costs ~1 ms.
        this.worker?.postMessage({ type: 'packet', generation: this.generation, packet: a.packet }, [a.packet.buffer]);
        continue;
      }
      packet = await this.reply(this.patienceMs);
      if (run.freed) return null;  // replaced (reset, load) while waiting
      if (!packet) return t.splitAlone();
      this.slowestMs = Math.max(this.slowestMs, performance.now() - started);
    }
  },

  /** The helper's next packet by message, or null if it failed or did not
   * answer within `patienceMs` (a crashed or starved worker sends nothing). */
  reply(patienceMs) {
    if (!this.worker) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.fail(), patienceMs);
      this.waiting = { resolve, timer };
    });
  },

  /** The shared memory for `t`'s steps, made on its first split step. */
  sharedFor(t) {
    if (!this.shared) {
      this.sharedCount += 1;
      this.shared = { ...allocate(t.packetBytes()), id: this.sharedCount };
    }
    return this.shared;
  },

  /** Lets go of the shared memory (the network changed or the helper
   * failed): a helper waiting on it goes back to its messages. */
  dropShared() {
    if (this.shared) leave(this.shared);
    this.shared = null;
  },

  receive(m) {
    if (m.generation !== this.generation) return;
    if (m.type === 'ready') {
      this.ready = true;
      this.onReady(true, this.owner);
    } else if (m.type === 'packet' && this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      clearTimeout(w.timer);
      w.resolve(m.packet);
    } else if (m.type === 'failed') {
      this.fail();
    }
  },

  /** The helper's wasm memory in bytes (null without a helper). */
  memory() {
    if (!this.worker) return Promise.resolve(null);
    return new Promise((resolve) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = (e) => resolve(e.data);
      this.worker.postMessage({ type: 'memory' }, [ch.port2]);
    });
  },

  /** Makes the helper's next packet throw, as a bug in it would. */
  failNextPacket() {
    this.worker?.postMessage({ type: 'failNextPacket' });
  },

  /** Stops the helper for good; a step waiting for it goes on here. */
  fail() {
    if (this.worker) {
      this.worker.terminate();
      this.onReady(false);
    }
    this.worker = null;
    this.ready = false;
    this.owner = null;
    this.dropShared();
    this.abandonWaiting();
  },

  /** The step waiting for a reply stops waiting and finishes alone. */
  abandonWaiting() {
    const w = this.waiting;
    this.waiting = null;
    if (w) {
      clearTimeout(w.timer);
      w.resolve(null);
    }
  },
};
