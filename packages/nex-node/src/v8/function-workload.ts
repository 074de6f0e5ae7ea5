import type { Msg, NatsConnection, Subscription } from "@nats-io/nats-core";
import type { EventEmitter } from "../events.ts";
import { LogLevel, type WorkloadLogger } from "../logs.ts";
import type { V8Task } from "./messages.ts";
import type { HostCallHandler, V8WorkerPool } from "./pool.ts";

export type FunctionSpec = { id: string; name: string; namespace: string; source: string; triggerSubjects: string[] };
export type FunctionDeps = {
  pool: V8WorkerPool;
  conn: NatsConnection;
  host: HostCallHandler;
  emit: EventEmitter;
  log: WorkloadLogger;
};

const enc = new TextEncoder();

/**
 * Subscribes the function's trigger subjects, each as a queue subscription whose queue is the
 * subject itself (ec4c2b4). Messages of one subscription run one after another; a request gets
 * the JSON result as its reply, a failed call gets no reply at all. Messages are taken in the
 * subscription's callback and the reply is sent from the result's, so no promise turn sits
 * between the trigger, the worker and the reply.
 */
export async function startFunctionWorkload(
  spec: FunctionSpec,
  deps: FunctionDeps,
): Promise<{ stop(): Promise<void> }> {
  const triggers = spec.triggerSubjects.map((subject) => serve(subject, spec, deps));
  await deps.conn.flush();
  return {
    async stop() {
      await Promise.allSettled(triggers.map((t) => t.stop()));
    },
  };
}

/** One trigger subscription and the calls waiting behind the one running; `stop` lets those finish. */
function serve(trigger: string, spec: FunctionSpec, deps: FunctionDeps): { stop(): Promise<void> } {
  const queued: Msg[] = [];
  let running = false;
  let drained: (() => void) | undefined;
  const next = (): void => {
    const msg = queued.shift();
    if (!msg) {
      running = false;
      drained?.();
      return;
    }
    running = true;
    invoke(msg, trigger, spec, deps, next);
  };
  const sub: Subscription = deps.conn.subscribe(trigger, {
    queue: trigger,
    callback: (e, msg) => {
      if (e) {
        deps.log(spec.id, spec.namespace, `trigger subscription ${trigger} ended: ${e.message}`, LogLevel.error);
        return;
      }
      queued.push(msg);
      if (!running) next();
    },
  });
  return {
    stop() {
      sub.unsubscribe();
      return running ? new Promise<void>((resolve) => (drained = resolve)) : Promise.resolve();
    },
  };
}

function invoke(msg: Msg, trigger: string, spec: FunctionSpec, deps: FunctionDeps, then: () => void): void {
  const task: V8Task = {
    scriptKey: spec.id,
    source: spec.source,
    filename: `${spec.name}.js`,
    subject: msg.subject,
    payload: msg.data,
  };
  const started = process.hrtime.bigint();
  deps.pool.start(task, deps.host, (result) => {
    const elapsed = Number(process.hrtime.bigint() - started);
    const base = {
      workload_id: spec.id,
      workload_name: spec.name,
      namespace: spec.namespace,
      trigger_subject: trigger,
    };
    if (!result.ok) {
      deps.emit(spec.namespace, "function_exec_failed", { ...base, error: result.error });
      deps.log(
        spec.id,
        spec.namespace,
        `failed to execute function on trigger subject ${msg.subject}: ${result.error}`,
        LogLevel.error,
      );
      then();
      return;
    }
    if (msg.reply) {
      try {
        msg.respond(enc.encode(result.body));
      } catch {
        // the workload connection closed while the function ran
      }
    }
    // In a later turn: the reply goes out in a write of its own, not behind the event and the log line.
    setImmediate(() => {
      deps.emit(spec.namespace, "function_exec_succeeded", { ...base, elapsed_nanos: elapsed });
      deps.log(spec.id, spec.namespace, `Function ${spec.name} execution succeeded (${elapsed}ns)`, LogLevel.debug);
    });
    then();
  });
}
