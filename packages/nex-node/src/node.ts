import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { resolveNodeConfig, type NodeConfig, type NodeConfigInput } from "./config.ts";
import { listenForControl } from "./control/listener.ts";
import { eventPublisher } from "./events.ts";
import { nodeKeys, systemTags } from "./identity.ts";
import { NEX_VERSION } from "./limits.ts";
import { silentLog, workloadLogPublisher, type NodeLog } from "./logs.ts";
import type { RestartPolicy } from "./native/restart-policy.ts";
import type { NodeRuntime } from "./runtime.ts";
import { V8WorkerPool } from "./v8/pool.ts";
import { parseCreds } from "./workload-identity.ts";
import { WorkloadRegistry, type RunningWorkload } from "./workloads.ts";

export type StartNexNodeOptions = {
  /** Control connection; also the default host-services connection when no creds are given. */
  nc: NatsConnection;
  /** The node's own user (`.creds` text): workloads connect as this user unless a deploy overrides it. */
  creds?: string | Uint8Array;
  /** Where workloads connect; defaults to the server `nc` is connected to. */
  servers?: string | string[];
  /** Node config JSON (0.x field names) or an already resolved config. */
  config?: NodeConfigInput | NodeConfig;
  /** Namespace of the node's own events (node_started, node_stopped); 0.x uses `system`. */
  namespace?: string;
  log?: NodeLog;
  /** Stable identity across restarts; fresh keys otherwise. */
  identity?: { nodeSeed?: string; xkeySeed?: string };
  restartPolicy?: RestartPolicy;
};

export type NexNode = {
  nodeId: string;
  xkey: string;
  config: NodeConfig;
  workloads(namespace?: string): RunningWorkload[];
  /** Stops every workload, then the control subscriptions and worker threads. Idempotent. */
  stop(): Promise<void>;
};

const isResolved = (c: NodeConfigInput | NodeConfig): c is NodeConfig => "workloadTypes" in c;

/** Starts a local Nex 0.x node on `nc`: control API, v8 functions in worker threads, native processes. */
export async function startNexNode(opts: StartNexNodeOptions): Promise<NexNode> {
  const base = opts.config && isResolved(opts.config) ? opts.config : resolveNodeConfig(opts.config ?? {});
  const config: NodeConfig = { ...base, tags: { ...systemTags(), ...base.tags } };
  const keys = nodeKeys(opts.identity);
  const nodeId = keys.node.getPublicKey();
  const eventNamespace = opts.namespace ?? "system";
  const servers = [opts.servers ?? `nats://${opts.nc.getServer()}`].flat().join(",");
  const credsText =
    typeof opts.creds === "string" ? opts.creds : opts.creds ? new TextDecoder().decode(opts.creds) : undefined;
  const rt: NodeRuntime = {
    nodeId,
    xkey: keys.xkey,
    startedAt: new Date(),
    config,
    nc: opts.nc,
    nodeIdentity: credsText ? { servers, ...parseCreds(credsText) } : undefined,
    registry: new WorkloadRegistry(),
    pool: new V8WorkerPool({ maxWorkers: config.maxV8Workers }),
    emit: eventPublisher(opts.nc, nodeId),
    logWorkload: workloadLogPublisher(opts.nc, nodeId),
    log: opts.log ?? silentLog,
    tempDir: mkdtempSync(join(tmpdir(), "nex-node-")),
    restartPolicy: opts.restartPolicy,
    stopping: false,
  };
  let subs: Subscription[];
  try {
    subs = await listenForControl(rt);
  } catch (e) {
    rmSync(rt.tempDir, { recursive: true, force: true });
    throw e;
  }
  rt.emit(eventNamespace, "node_started", { version: NEX_VERSION, id: nodeId });
  rt.log("info", `node ${nodeId} started; public xkey ${keys.xkey.getPublicKey()}`);

  let stopped: Promise<void> | undefined;
  const stop = async () => {
    rt.stopping = true;
    for (const sub of subs) sub.unsubscribe();
    const workloads = rt.registry.all();
    for (const w of workloads) rt.registry.remove(w.id);
    const stopping = Promise.allSettled(workloads.map((w) => w.stop()));
    // Closing the pool ends calls still running, so no function can hold up the stop.
    await rt.pool.close();
    await stopping;
    for (const w of workloads) {
      rt.emit(w.namespace, "workload_undeployed", {
        workload_id: w.id,
        workload_name: w.name,
        namespace: w.namespace,
        reason: "node stopped",
      });
    }
    rt.emit(eventNamespace, "node_stopped", { id: nodeId, graceful: true });
    // A node whose server is gone must still stop: flush waits for a reconnect that may never come.
    if (!rt.nc.isClosed()) await Promise.race([rt.nc.flush().catch(() => undefined), sleep(1_000)]);
    rmSync(rt.tempDir, { recursive: true, force: true });
  };
  return {
    nodeId,
    xkey: keys.xkey.getPublicKey(),
    config,
    workloads: (namespace) => rt.registry.all(namespace),
    stop: () => (stopped ??= stop()),
  };
}
