import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import { V8_EXECUTION_TIMEOUT_MS } from "../limits.ts";
import { tickAheadWatch, type AheadWatch } from "./ahead-watch.ts";
import {
  AHEAD_TIME_LIMIT_MS,
  SIGNAL_BYTES,
  SignalSlot,
  type HostCall,
  type HostReply,
  type V8Result,
  type V8Task,
  type WorkerInit,
} from "./messages.ts";
import { v8WorkerSource } from "./worker-source.ts";

/** Answers one host call; must not reject (failures are `{ ok: false }` replies). */
export type HostCallHandler = (call: HostCall) => Promise<HostReply>;

/** `oneWay`: publishes in flight; `failed`: the first of them that failed (reported at the next sync point). */
type Running = { host: HostCallHandler; finish: (r: V8Result) => void; oneWay: Promise<void>[]; failed?: string };
/** `warmFor`: the script whose next context the worker made while idle (the last one it ran). */
type Slot = {
  worker: Worker;
  port: MessagePort;
  signal: Int32Array;
  running?: Running;
  warmFor?: string;
  ahead: AheadWatch;
};

export type V8PoolOptions = { maxWorkers: number; timeoutMs?: number };

/**
 * Worker threads that run one function call at a time each. A call that overruns its time limit
 * gets its worker terminated (a runaway loop cannot be interrupted any other way); the next call
 * starts a fresh worker, so other functions and the node are unaffected.
 */
export class V8WorkerPool {
  readonly #max: number;
  readonly #timeoutMs: number;
  readonly #slots = new Set<Slot>();
  readonly #idle: Slot[] = [];
  readonly #waiting: ((slot: Slot | undefined) => void)[] = [];
  /** Scripts whose top level ran away ahead of a call: every worker runs it at call time. */
  readonly #topLevelAtCallTime = new Set<string>();
  #aheadWatchdog?: NodeJS.Timeout;
  #closed = false;

  constructor(opts: V8PoolOptions) {
    this.#max = Math.max(1, opts.maxWorkers);
    this.#timeoutMs = opts.timeoutMs ?? V8_EXECUTION_TIMEOUT_MS;
  }

  get size(): number {
    return this.#slots.size;
  }

  async run(task: V8Task, host: HostCallHandler): Promise<V8Result> {
    const slot = this.#closed ? undefined : await this.#acquire(task.scriptKey);
    if (!slot) return { ok: false, error: "the node is stopping" };
    return new Promise<V8Result>((resolve) => {
      const timer = setTimeout(() => {
        this.#noteRunAhead(slot);
        void this.#discard(slot);
        finish({ ok: false, error: `v8 execution timed out after ${this.#timeoutMs}ms` });
      }, this.#timeoutMs);
      const finish = (result: V8Result) => {
        if (slot.running?.finish !== finish) return;
        clearTimeout(timer);
        slot.running = undefined;
        resolve(result);
        if (this.#slots.has(slot)) this.#release(slot);
        else this.#handOffNewSlot();
      };
      slot.running = { host, finish, oneWay: [] };
      slot.warmFor = task.scriptKey;
      slot.worker.postMessage(
        this.#topLevelAtCallTime.has(task.scriptKey) ? { ...task, topLevelAtCallTime: true } : task,
      );
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#aheadWatchdog);
    for (const waiter of this.#waiting.splice(0)) waiter(undefined);
    const slots = [...this.#slots];
    await Promise.all(slots.map((s) => this.#discard(s)));
    for (const slot of slots) slot.running?.finish({ ok: false, error: "the node is stopping" });
  }

  /** An idle worker warm for this script if there is one, else the most recently used. */
  #acquire(scriptKey: string): Promise<Slot | undefined> {
    let warm = this.#idle.length - 1;
    while (warm >= 0 && this.#idle[warm]?.warmFor !== scriptKey) warm--;
    const idle = warm >= 0 ? this.#idle.splice(warm, 1)[0] : this.#idle.pop();
    if (idle) return Promise.resolve(idle);
    if (this.#slots.size < this.#max) return Promise.resolve(this.#spawn());
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #release(slot: Slot): void {
    const next = this.#waiting.shift();
    if (next) next(slot);
    else this.#idle.push(slot);
  }

  #handOffNewSlot(): void {
    if (this.#closed) return;
    const next = this.#waiting.shift();
    if (next) next(this.#spawn());
  }

  /**
   * One timer for every worker: a top level run ahead of a call (without vm's watchdog thread,
   * see worker.ts) that is still the same run one period later has run away. Its worker is ended
   * (a call queued behind it fails as if the worker had died) and its script runs at call time.
   */
  #watchRunsAhead(): void {
    for (const slot of this.#slots) {
      const running = Atomics.load(slot.signal, SignalSlot.aheadRunning) === 1;
      if (!tickAheadWatch(slot.ahead, running, Atomics.load(slot.signal, SignalSlot.aheadRuns))) continue;
      this.#noteRunAhead(slot);
      void this.#discard(slot);
    }
  }

  /** A worker ended while running a top level ahead: that script's top level runs at call time from now on. */
  #noteRunAhead(slot: Slot): void {
    if (slot.warmFor !== undefined && Atomics.load(slot.signal, SignalSlot.aheadRunning) === 1)
      this.#topLevelAtCallTime.add(slot.warmFor);
  }

  #spawn(): Slot {
    this.#aheadWatchdog ??= setInterval(() => this.#watchRunsAhead(), AHEAD_TIME_LIMIT_MS).unref();
    const sab = new SharedArrayBuffer(SIGNAL_BYTES);
    const { port1, port2 } = new MessageChannel();
    const init: WorkerInit = { signal: sab, hostPort: port2 };
    const worker = new Worker(v8WorkerSource(), {
      eval: true,
      workerData: init,
      transferList: [port2],
      execArgv: [],
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: 128 },
    });
    const slot: Slot = { worker, port: port1, signal: new Int32Array(sab), ahead: {} };
    worker.on("message", (result: V8Result) => void this.#settle(slot, result));
    // Discard before finishing, so a dead worker is never handed to the next call.
    worker.on("error", (e) => {
      void this.#discard(slot);
      slot.running?.finish({ ok: false, error: `the function's worker failed: ${e.message}` });
    });
    worker.on("exit", () => {
      void this.#discard(slot);
      slot.running?.finish({ ok: false, error: "the function's worker exited" });
    });
    port1.on("message", (call: HostCall) => void this.#answer(slot, call));
    this.#slots.add(slot);
    return slot;
  }

  /**
   * The result comes on the worker's own channel, so publishes the worker posted before it may
   * still sit in the host port: they are taken first (the reply never overtakes them) and a failed
   * one fails the call.
   */
  async #settle(slot: Slot, result: V8Result): Promise<void> {
    const running = slot.running;
    if (!running) return;
    for (let m = receiveMessageOnPort(slot.port); m; m = receiveMessageOnPort(slot.port))
      void this.#answer(slot, m.message as HostCall);
    if (running.oneWay.length > 0) await Promise.all(running.oneWay);
    running.finish(result.ok && running.failed !== undefined ? { ok: false, error: running.failed } : result);
  }

  async #answer(slot: Slot, call: HostCall): Promise<void> {
    const running = slot.running;
    if (running && call.oneWay) {
      const done = this.#execute(running, call).then((reply) => void (reply.ok || (running.failed ??= reply.error)));
      running.oneWay.push(done);
      return;
    }
    if (running && running.oneWay.length > 0) await Promise.all(running.oneWay);
    const failed = running?.failed;
    if (running) running.failed = undefined; // thrown once, where the function next asks the host
    const reply: HostReply = !running
      ? { seq: call.seq, ok: false, error: "no function is running" }
      : failed !== undefined
        ? { seq: call.seq, ok: false, error: failed }
        : await this.#execute(running, call);
    if (!this.#slots.has(slot) || slot.running !== running) return;
    slot.port.postMessage(reply);
    Atomics.store(slot.signal, SignalSlot.hostAnswer, 1);
    Atomics.notify(slot.signal, SignalSlot.hostAnswer);
  }

  #execute(running: Running, call: HostCall): Promise<HostReply> {
    return running.host(call).catch((e: unknown) => ({ seq: call.seq, ok: false as const, error: String(e) }));
  }

  async #discard(slot: Slot): Promise<void> {
    if (!this.#slots.delete(slot)) return;
    const i = this.#idle.indexOf(slot);
    if (i >= 0) this.#idle.splice(i, 1);
    slot.port.close();
    await slot.worker.terminate();
  }
}
