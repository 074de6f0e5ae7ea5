import type { NatsConnection } from "@nats-io/nats-core";
import type { KeyPair } from "@nats-io/nkeys";
import type { NodeConfig } from "./config.ts";
import type { EventEmitter } from "./events.ts";
import type { NodeLog, WorkloadLogger } from "./logs.ts";
import type { WorkloadIdentity } from "./native/env.ts";
import type { RestartPolicy } from "./native/restart-policy.ts";
import type { V8WorkerPool } from "./v8/pool.ts";
import type { WorkloadRegistry } from "./workloads.ts";

/** Everything the control handlers share inside one running node. */
export type NodeRuntime = {
  nodeId: string;
  xkey: KeyPair;
  startedAt: Date;
  config: NodeConfig;
  /** Control connection; also the workloads' connection when the node has no creds to open others. */
  nc: NatsConnection;
  /** How workloads connect by default (the node's own user); undefined: they share `nc`. */
  nodeIdentity?: WorkloadIdentity;
  registry: WorkloadRegistry;
  pool: V8WorkerPool;
  emit: EventEmitter;
  logWorkload: WorkloadLogger;
  log: NodeLog;
  tempDir: string;
  restartPolicy?: RestartPolicy;
  /** Stops accepting deploys while the node shuts down. */
  stopping: boolean;
};
