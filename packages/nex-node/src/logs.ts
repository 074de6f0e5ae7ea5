import type { NatsConnection } from "@nats-io/nats-core";
import { nexSubjects } from "./control/subjects.ts";
import type { EmittedLog } from "./control/types.ts";

/** Go slog levels, which 0.x puts in `level`. */
export const LogLevel = { debug: -4, info: 0, warn: 4, error: 8 } as const;

export type WorkloadLogger = (workloadId: string, namespace: string, text: string, level?: number) => void;

/** Publishes workload log lines on `$NEX.logs.<ns>.<node>.<workloadId>` as `{text, level, id}`. */
export function workloadLogPublisher(nc: NatsConnection, nodeId: string): WorkloadLogger {
  const enc = new TextEncoder();
  return (workloadId, namespace, text, level = LogLevel.info) => {
    if (nc.isClosed()) return;
    const log: EmittedLog = { text, level, id: workloadId };
    try {
      nc.publish(nexSubjects.log(namespace, nodeId, workloadId), enc.encode(JSON.stringify(log)));
    } catch {
      // draining or closing
    }
  };
}

/** The node's own diagnostics (not workload output). */
export type NodeLog = (level: keyof typeof LogLevel, message: string) => void;
export const silentLog: NodeLog = () => undefined;
export const consoleLog: NodeLog = (level, message) => process.stderr.write(`[nex ${level}] ${message}\n`);
