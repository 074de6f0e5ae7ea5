import type { NatsConnection } from "@nats-io/nats-core";
import type { KeyPair } from "@nats-io/nkeys";
import { unwrapEnvelope, type Envelope } from "../control/envelope.ts";
import { nexSubjects } from "../control/subjects.ts";
import type {
  AuctionRequest,
  AuctionResponse,
  InfoResponse,
  PingResponse,
  StopResponse,
  WorkloadPingResponse,
} from "../control/types.ts";
import { createStopJwt } from "../control/workload-jwt.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

export const DEFAULT_TIMEOUT_MS = 5_000;
/** Scatter-gather: how long to wait for the first answer (nodes that cannot help stay silent). */
export const DEFAULT_GATHER_MS = 2_000;
/** Scatter-gather: stop collecting once no node has answered for this long. */
const STALL_MS = 300;

const body = (v: unknown) => (v === undefined ? new Uint8Array(0) : enc.encode(JSON.stringify(v)));

/** A request to one node; the envelope's error is thrown as NexControlError. */
export async function controlRequest<T>(
  nc: NatsConnection,
  subject: string,
  payload: unknown,
  timeout = DEFAULT_TIMEOUT_MS,
): Promise<T> {
  const reply = await nc.request(subject, body(payload), { timeout });
  return unwrapEnvelope(JSON.parse(dec.decode(reply.data)) as Envelope<T>);
}

/** Every node's answer to a scatter-gather request; nodes that fail to answer in time are left out. */
export async function gather<T>(
  nc: NatsConnection,
  subject: string,
  payload: unknown,
  timeout = DEFAULT_GATHER_MS,
): Promise<T[]> {
  const replies = await nc.requestMany(subject, body(payload), {
    strategy: "stall",
    stall: STALL_MS,
    maxWait: timeout,
  });
  const out: T[] = [];
  for await (const m of replies) {
    try {
      out.push(unwrapEnvelope(JSON.parse(dec.decode(m.data)) as Envelope<T>));
    } catch {
      // a malformed or failed answer from one node does not spoil the rest
    }
  }
  return out;
}

export const pingNodes = (nc: NatsConnection, timeout?: number) =>
  gather<PingResponse>(nc, nexSubjects.pingAll, undefined, timeout);

export const pingNode = (nc: NatsConnection, nodeId: string, timeout?: number) =>
  controlRequest<PingResponse>(nc, nexSubjects.ping(nodeId), undefined, timeout);

export const auction = (nc: NatsConnection, req: AuctionRequest, timeout?: number) =>
  gather<AuctionResponse>(nc, nexSubjects.auction, req, timeout);

export const nodeInfo = (nc: NatsConnection, namespace: string, nodeId: string, timeout?: number) =>
  controlRequest<InfoResponse>(nc, nexSubjects.info(namespace, nodeId), undefined, timeout);

export const workloadPing = (nc: NatsConnection, namespace: string, workload?: string, timeout?: number) =>
  gather<WorkloadPingResponse>(nc, nexSubjects.workloadPing(namespace, workload), undefined, timeout);

/** Stops a workload; the node accepts it only from the issuer that deployed it. */
export async function stopWorkload(
  nc: NatsConnection,
  opts: { namespace: string; nodeId: string; workloadId: string; issuer: KeyPair; timeout?: number },
): Promise<StopResponse> {
  const workload_jwt = await createStopJwt(opts.issuer, opts.workloadId);
  return controlRequest<StopResponse>(
    nc,
    nexSubjects.stop(opts.namespace, opts.nodeId),
    { workload_id: opts.workloadId, workload_jwt, target_node: opts.nodeId },
    opts.timeout,
  );
}
