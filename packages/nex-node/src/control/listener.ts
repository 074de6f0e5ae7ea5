import type { Msg, Subscription } from "@nats-io/nats-core";
import { runDeployRequest } from "../deploy-pipeline.ts";
import type { NodeRuntime } from "../runtime.ts";
import { runStopRequest } from "../stop-pipeline.ts";
import { failEnvelope, okEnvelope, RESPONSE_TYPES, type Envelope } from "./envelope.ts";
import { auctionAccepts, infoResponse, pingResponse, workloadPingResponse, type NodeFacts } from "./responses.ts";
import { namespaceOf, nexSubjects } from "./subjects.ts";
import type { AuctionRequest } from "./types.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

type Reply = Envelope<unknown> | undefined;
type Handler = (msg: Msg) => Reply | Promise<Reply>;

/** Subscribes the node to the 0.x control subjects (controlapi.go Start); returns the subscriptions. */
export async function listenForControl(rt: NodeRuntime): Promise<Subscription[]> {
  const facts = (): NodeFacts => ({
    nodeId: rt.nodeId,
    xkey: rt.xkey.getPublicKey(),
    startedAt: rt.startedAt,
    tags: rt.config.tags,
    workloadTypes: rt.config.workloadTypes,
  });
  const ping: Handler = () => okEnvelope(RESPONSE_TYPES.ping, pingResponse(facts(), rt.registry.count));
  const handlers: [string, Handler][] = [
    [nexSubjects.pingAll, ping],
    [nexSubjects.ping(rt.nodeId), ping],
    [
      nexSubjects.auction,
      (m) => {
        const req = parseJson<AuctionRequest>(m) ?? {};
        return auctionAccepts(req, facts())
          ? okEnvelope(RESPONSE_TYPES.auction, pingResponse(facts(), rt.registry.count))
          : undefined;
      },
    ],
    [
      nexSubjects.info("*", rt.nodeId),
      (m) => okEnvelope(RESPONSE_TYPES.info, infoResponse(facts(), rt.registry.all(namespaceOf(m.subject)))),
    ],
    [nexSubjects.workloadPing("*"), (m) => workloadPing(m)],
    [nexSubjects.workloadPing("*", "*"), (m) => workloadPing(m)],
    [
      nexSubjects.deploy("*", rt.nodeId),
      (m) => control(RESPONSE_TYPES.run, "deploy", m, (ns, body) => runDeployRequest(rt, ns, body)),
    ],
    [
      nexSubjects.stop("*", rt.nodeId),
      (m) => control(RESPONSE_TYPES.stop, "stop", m, (ns, body) => runStopRequest(rt, ns, body)),
    ],
  ];

  /** Answers only when this node runs a matching workload, as 0.x does. */
  function workloadPing(m: Msg): Reply {
    const [, , ns, wanted] = m.subject.split(".");
    const matching = rt.registry.all(ns).filter((w) => wanted === undefined || w.id === wanted || w.name === wanted);
    return matching.length > 0
      ? okEnvelope(RESPONSE_TYPES.workloadPing, workloadPingResponse(facts(), matching))
      : undefined;
  }

  async function control<T>(
    type: string,
    what: string,
    m: Msg,
    run: (ns: string, body: unknown) => Promise<T>,
  ): Promise<Envelope<unknown>> {
    let body: unknown;
    try {
      body = JSON.parse(dec.decode(m.data));
    } catch (e) {
      return failEnvelope(type, `Unable to deserialize ${what} request: ${(e as Error).message}`);
    }
    try {
      return okEnvelope(type, await run(namespaceOf(m.subject) ?? "default", body));
    } catch (e) {
      rt.log("warn", `${what} refused: ${(e as Error).message}`);
      return failEnvelope(type, (e as Error).message);
    }
  }

  const subs = handlers.map(([subject, handle]) =>
    rt.nc.subscribe(subject, {
      callback: (err, msg) => {
        if (err) return rt.log("error", `control subscription ${subject} failed: ${err.message}`);
        Promise.resolve()
          .then(() => handle(msg))
          .then(
            (envelope) => respond(msg, envelope),
            (e: Error) => rt.log("error", `control handler ${subject} failed: ${e.message}`),
          );
      },
    }),
  );
  await rt.nc.flush();
  return subs;
}

function respond(msg: Msg, envelope: Envelope<unknown> | undefined): void {
  if (!envelope || !msg.reply) return;
  try {
    msg.respond(enc.encode(JSON.stringify(envelope)));
  } catch {
    // the node is closing its connection
  }
}

function parseJson<T>(m: Msg): T | undefined {
  try {
    return m.data.length > 0 ? (JSON.parse(dec.decode(m.data)) as T) : undefined;
  } catch {
    return undefined;
  }
}
