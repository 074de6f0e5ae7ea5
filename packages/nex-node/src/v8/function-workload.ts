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
 * the JSON result as its reply, a failed call gets no reply at all.
 */
export async function startFunctionWorkload(
  spec: FunctionSpec,
  deps: FunctionDeps,
): Promise<{ stop(): Promise<void> }> {
  const subs: Subscription[] = spec.triggerSubjects.map((subject) => deps.conn.subscribe(subject, { queue: subject }));
  const loops = subs.map((sub, i) =>
    serve(sub, spec.triggerSubjects[i] ?? sub.getSubject(), spec, deps).catch((e: Error) =>
      deps.log(spec.id, spec.namespace, `trigger subscription ${sub.getSubject()} ended: ${e.message}`, LogLevel.error),
    ),
  );
  await deps.conn.flush();
  return {
    async stop() {
      for (const sub of subs) sub.unsubscribe();
      await Promise.allSettled(loops);
    },
  };
}

async function serve(sub: Subscription, trigger: string, spec: FunctionSpec, deps: FunctionDeps): Promise<void> {
  for await (const msg of sub) await invoke(msg, trigger, spec, deps);
}

async function invoke(msg: Msg, trigger: string, spec: FunctionSpec, deps: FunctionDeps): Promise<void> {
  const task: V8Task = {
    scriptKey: spec.id,
    source: spec.source,
    filename: `${spec.name}.js`,
    subject: msg.subject,
    payload: msg.data,
  };
  const started = process.hrtime.bigint();
  const result = await deps.pool.run(task, deps.host);
  const elapsed = Number(process.hrtime.bigint() - started);
  const base = { workload_id: spec.id, workload_name: spec.name, namespace: spec.namespace, trigger_subject: trigger };
  if (!result.ok) {
    deps.emit(spec.namespace, "function_exec_failed", { ...base, error: result.error });
    deps.log(
      spec.id,
      spec.namespace,
      `failed to execute function on trigger subject ${msg.subject}: ${result.error}`,
      LogLevel.error,
    );
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
}
