import { jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import type { AuthorityClient } from "../../cli/src/accounts/authority-client.ts";
import { Stores, type Envelope, type StoredEvent } from "@natster/protocol";
import { until } from "@natster/test-kit";
import { GlobalClient } from "../../cli/src/global-client.ts";
import { projectionDurables, waitForCatchUp } from "../../infra/global/rebuild.ts";
import { PROJECTION_BUCKETS } from "../../infra/global/provision.ts";
import { createTestUser, type TestUser } from "./authority.ts";
import type { TestStack } from "./test-stack.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A user account that reaches the global service only through its own imports. */
export type Member = { user: TestUser; key: string; nc: NatsConnection; global: GlobalClient };

export async function newMember(stack: TestStack, authority: AuthorityClient, name: string): Promise<Member> {
  const user = await createTestUser(stack, authority, name);
  const nc = await user.connect();
  return { user, key: user.account.getPublicKey(), nc, global: new GlobalClient(nc) };
}

/** `events.put` natster_initialized (which also appends the hub's auto-share). */
export const initialize = (m: Member) =>
  m.global.putEvent({ catalog: "none", target: "none", event_type: "natster_initialized", data: null });

/** A raw request and its parsed envelope (no client-side interpretation). */
export async function requestRaw<T = unknown>(
  nc: NatsConnection,
  subject: string,
  body: unknown,
  timeoutMs = 5000,
): Promise<Envelope<T>> {
  const payload =
    body instanceof Uint8Array
      ? body
      : typeof body === "string"
        ? enc.encode(body)
        : body === undefined
          ? new Uint8Array()
          : enc.encode(JSON.stringify(body));
  const reply = await nc.request(subject, payload, { timeout: timeoutMs });
  return JSON.parse(dec.decode(reply.data)) as Envelope<T>;
}

/** Waits until the trigger bridge's durables have applied everything NATSTER_EVENTS holds. */
export async function projectionsCaughtUp(
  global: NatsConnection,
  timeoutMs = 30_000,
): Promise<{ last_seq: number; messages: number }> {
  return waitForCatchUp(global, { durables: projectionDurables(), timeoutMs, pollMs: 25 });
}

export type Snapshot = Record<string, Record<string, string>>;

/** Every key and value (bytes as text) of PROJ_ACCOUNT, PROJ_CATALOG and PROJ_STATS. */
export async function snapshotProjections(global: NatsConnection): Promise<Snapshot> {
  const kvm = new Kvm(global);
  const out: Snapshot = {};
  for (const bucket of PROJECTION_BUCKETS) {
    const kv = await kvm.open(bucket);
    const keys: string[] = [];
    for await (const k of await kv.keys()) keys.push(k);
    const values: Record<string, string> = {};
    for (const key of keys.sort()) {
      const entry = await kv.get(key);
      if (entry?.operation === "PUT") values[key] = dec.decode(entry.value);
    }
    out[bucket] = values;
  }
  return out;
}

/** Every message of NATSTER_EVENTS, in order: subject, sequence and the stored event. */
export async function readEventLog(
  global: NatsConnection,
): Promise<{ seq: number; subject: string; event: StoredEvent }[]> {
  const jsm = await jetstreamManager(global);
  const { state } = await jsm.streams.info(Stores.eventsStream);
  const out: { seq: number; subject: string; event: StoredEvent }[] = [];
  if (state.messages === 0) return out;
  const consumer = await jsm.jetstream().consumers.get(Stores.eventsStream);
  const messages = await consumer.fetch({ max_messages: state.messages, expires: 5000 });
  for await (const m of messages) {
    out.push({ seq: m.seq, subject: m.subject, event: m.json<StoredEvent>() });
    if (m.seq >= state.last_seq) break;
  }
  return out;
}

/** Collects what a subscription receives. */
export class Inbox<T = unknown> {
  readonly received: T[] = [];
  private constructor(readonly sub: Subscription) {}

  static async open<T>(nc: NatsConnection, subject: string): Promise<Inbox<T>> {
    const sub = nc.subscribe(subject);
    const inbox = new Inbox<T>(sub);
    void (async () => {
      for await (const m of sub) inbox.received.push(m.json<T>());
    })();
    await nc.flush();
    return inbox;
  }

  /** Waits for a message matching `match`. */
  next(match: (m: T) => boolean, what: string, timeoutMs = 5000): Promise<T> {
    return until(() => this.received.find(match), what, timeoutMs, 20);
  }
}
