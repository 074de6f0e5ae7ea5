import { spawn, type ChildProcess } from "node:child_process";
import type { EventEmitter } from "../events.ts";
import { NATIVE_STOP_GRACE_MS } from "../limits.ts";
import { LogLevel, type WorkloadLogger } from "../logs.ts";
import { lineSplitter } from "./line-splitter.ts";
import { DEFAULT_RESTART_POLICY, restartDelay, type RestartPolicy } from "./restart-policy.ts";

export type NativeSpec = {
  id: string;
  name: string;
  namespace: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  essential: boolean;
};

export type NativeDeps = {
  emit: EventEmitter;
  log: WorkloadLogger;
  /** The process is gone for good without a stop request (it exited, or ran out of restarts). */
  onEnded: (reason: string) => void;
  policy?: RestartPolicy;
};

export type NativeWorkload = { pid(): number | undefined; stop(): Promise<void> };

/**
 * Runs a native artifact as a child process: no shell, only the given environment, stdout and
 * stderr lines published as logs. Stop is SIGINT, then SIGKILL after 5 s. An essential workload
 * that exits is started again with exponential backoff.
 */
export async function startNativeWorkload(spec: NativeSpec, deps: NativeDeps): Promise<NativeWorkload> {
  let child: ChildProcess | undefined;
  let closed: Promise<void> = Promise.resolve();
  let stopping = false;
  let attempts = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  const info = { workload_id: spec.id, workload_name: spec.name, namespace: spec.namespace };

  const launch = async (): Promise<void> => {
    const started = Date.now();
    const proc = spawn(spec.command, spec.args, { env: spec.env, stdio: ["ignore", "pipe", "pipe"], shell: false });
    await new Promise<void>((resolve, reject) => proc.once("spawn", resolve).once("error", reject));
    proc.on("error", (e) => deps.log(spec.id, spec.namespace, `process error: ${e.message}`, LogLevel.error));
    child = proc;
    const out = lineSplitter((line) => deps.log(spec.id, spec.namespace, line, LogLevel.info));
    const err = lineSplitter((line) => deps.log(spec.id, spec.namespace, line, LogLevel.error));
    proc.stdout?.on("data", (chunk: Buffer) => out.push(chunk));
    proc.stderr?.on("data", (chunk: Buffer) => err.push(chunk));
    closed = new Promise((resolve) =>
      proc.once("close", (code, signal) => {
        out.flush();
        err.flush();
        child = undefined;
        resolve();
        if (!stopping) exitedOnItsOwn(code, signal, Date.now() - started);
      }),
    );
  };

  const exitedOnItsOwn = (code: number | null, signal: NodeJS.Signals | null, ranMs: number) => {
    const message = signal ? `killed by ${signal}` : `exited with code ${code ?? "?"}`;
    deps.emit(spec.namespace, "workload_stopped", { ...info, code: code ?? -1, message });
    deps.log(spec.id, spec.namespace, `workload ${spec.name} ${message}`, code === 0 ? LogLevel.info : LogLevel.warn);
    if (!spec.essential) return deps.onEnded(message);
    const next = restartDelay(attempts + 1, ranMs, deps.policy ?? DEFAULT_RESTART_POLICY);
    if (!next) return deps.onEnded(`${message}; gave up after ${attempts} restarts`);
    attempts = next.attempt;
    restartTimer = setTimeout(() => {
      if (stopping) return;
      launch().then(
        () => deps.emit(spec.namespace, "workload_started", { ...info, restarts: attempts }),
        (e: Error) => {
          deps.log(spec.id, spec.namespace, `restart failed: ${e.message}`, LogLevel.error);
          exitedOnItsOwn(null, null, 0);
        },
      );
    }, next.delayMs);
  };

  await launch();
  return {
    pid: () => child?.pid,
    async stop() {
      stopping = true;
      clearTimeout(restartTimer);
      if (child) await interruptThenKill(child, closed);
    },
  };
}

async function interruptThenKill(child: ChildProcess, closed: Promise<void>): Promise<void> {
  child.kill("SIGINT");
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), NATIVE_STOP_GRACE_MS)));
  const outcome = await Promise.race([closed.then(() => "closed" as const), grace]);
  clearTimeout(timer);
  if (outcome === "late") {
    child.kill("SIGKILL");
    await closed;
  }
}
