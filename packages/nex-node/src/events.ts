import type { NatsConnection } from "@nats-io/nats-core";
import { randomUUID } from "node:crypto";
import { nexSubjects } from "./control/subjects.ts";

export const NEX_EVENT_TYPES = [
  "node_started",
  "node_stopped",
  "workload_deployed",
  "workload_undeployed",
  "workload_started",
  "workload_stopped",
  "function_exec_succeeded",
  "function_exec_failed",
] as const;
export type NexEventType = (typeof NEX_EVENT_TYPES)[number];

/** A CloudEvents 1.0 JSON event as 0.x publishes it (cloudevents sdk-go, plus the `namespace` extension). */
export type CloudEvent<T = unknown> = {
  specversion: "1.0";
  id: string;
  source: string;
  type: string;
  time: string;
  datacontenttype: "application/json";
  namespace: string;
  data: T;
};

export function cloudEvent<T>(
  source: string,
  namespace: string,
  type: NexEventType,
  data: T,
  now = new Date(),
): CloudEvent<T> {
  return {
    specversion: "1.0",
    id: randomUUID(),
    source,
    type,
    time: now.toISOString(),
    datacontenttype: "application/json",
    namespace,
    data,
  };
}

export type EventEmitter = (namespace: string, type: NexEventType, data: unknown) => void;

/** Publishes events on `$NEX.events.<ns>.<type>`; a closed connection drops them rather than throwing. */
export function eventPublisher(nc: NatsConnection, nodeId: string): EventEmitter {
  const enc = new TextEncoder();
  return (namespace, type, data) => {
    if (nc.isClosed()) return;
    try {
      nc.publish(
        nexSubjects.event(namespace, type),
        enc.encode(JSON.stringify(cloudEvent(nodeId, namespace, type, data))),
      );
    } catch {
      // draining or closing: events are best effort, as in 0.x
    }
  };
}
