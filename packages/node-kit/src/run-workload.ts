import type { NatsConnection } from "@nats-io/nats-core";

export type WorkloadLog = (line: string) => void;

/** What a workload's `main` hands back once it serves: how to stop it and the connections to drain after. */
export type RunningWorkload = { stop(): void | Promise<unknown>; connections: readonly NatsConnection[] };

export type WorkloadOptions = {
  /** The log prefix: `<ISO time> <name>: <line>`. */
  name: string;
  /** The word logged on a signal, as in `SIGTERM: stopping` (the catalog server says "going offline"). */
  stoppingLine?: string;
  /** Exit 0 after this long whatever is in hand: Nex and the stack give a workload only a few seconds after SIGTERM. */
  shutdownDeadlineMs?: number;
  /** Log an unhandled rejection and keep serving (bad input must never take a server down). */
  surviveUnhandledRejections?: boolean;
};

/** The process as a workload sees it; `nodeProcess` in production, a fake in the unit spec. */
export type WorkloadHost = {
  write(text: string): void;
  now(): Date;
  onSignal(signal: NodeJS.Signals, handler: () => void): void;
  onUnhandledRejection(handler: (reason: unknown) => void): void;
  /** Runs `fn` after `ms` without keeping the process alive. */
  deadline(ms: number, fn: () => void): void;
  exit(code: number): void;
};

export const nodeProcess: WorkloadHost = {
  write: (text) => void process.stdout.write(text),
  now: () => new Date(),
  onSignal: (signal, handler) => void process.once(signal, handler),
  onUnhandledRejection: (handler) => void process.on("unhandledRejection", handler),
  deadline: (ms, fn) => void setTimeout(fn, ms).unref(),
  exit: (code) => process.exit(code),
};

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Runs a workload's entry point: `main` connects and starts serving; SIGINT/SIGTERM stop it, drain its
 * connections and exit 0; a failing `main` logs `fatal: <message>` and exits 1.
 */
export async function runWorkload(
  options: WorkloadOptions,
  main: (log: WorkloadLog) => Promise<RunningWorkload>,
  host: WorkloadHost = nodeProcess,
): Promise<void> {
  const log: WorkloadLog = (line) => host.write(`${host.now().toISOString()} ${options.name}: ${line}\n`);
  if (options.surviveUnhandledRejections) host.onUnhandledRejection((e) => log(`unhandled rejection: ${message(e)}`));
  let running: RunningWorkload;
  try {
    running = await main(log);
  } catch (e) {
    log(`fatal: ${message(e)}`);
    host.exit(1);
    return;
  }
  const shutdown = async (signal: NodeJS.Signals) => {
    log(`${signal}: ${options.stoppingLine ?? "stopping"}`);
    const deadlineMs = options.shutdownDeadlineMs;
    if (deadlineMs !== undefined) {
      host.deadline(deadlineMs, () => {
        log("shutdown deadline passed; exiting");
        host.exit(0);
      });
    }
    await Promise.resolve()
      .then(() => running.stop())
      .catch((e: unknown) => log(`stop failed: ${message(e)}`));
    await Promise.allSettled(running.connections.map((nc) => nc.drain()));
    host.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) host.onSignal(signal, () => void shutdown(signal));
}
