import { jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/nats-core";
import { Stores } from "@natster/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publicAuthorityClient } from "../support/authority.ts";
import type { FullStack } from "../support/full-stack.ts";
import { initialize, newMember, type Member } from "../support/global-service.ts";
import { put, startGlobalServiceSuite, type GlobalServiceSuite } from "../support/global-service-suite.ts";

/**
 * How the global service protects its event log from real user accounts: a per-account rate and
 * size limit on events.put, and a full log that refuses new events rather than dropping old ones.
 */
describe("the global service, called by real accounts through their imports: event log limits", () => {
  let suite: GlobalServiceSuite<"alice" | "bob">;
  let stack: FullStack;
  let global: NatsConnection;
  let alice: Member;
  let bob: Member;

  beforeAll(async () => {
    suite = await startGlobalServiceSuite(["alice", "bob"], ["alice", "bob"]);
    ({ stack, global } = suite);
    ({ alice, bob } = suite.members);
  }, 180_000);
  afterAll(() => suite?.stop());

  it("flooding: past its rate limit an account gets 429 RATE_LIMITED and the log does not grow; other accounts carry on", async () => {
    const settings = await new Kvm(global).open(Stores.config);
    const original = (await settings.get("accounts"))!.string();
    const frank = await newMember(stack, await publicAuthorityClient(stack), "frank");
    await initialize(frank); // 2 events: the init and the hub's auto-share
    await settings.put(
      "accounts",
      JSON.stringify({ ...JSON.parse(original), event_rate_limits: [{ window_s: 86_400, max_events: 3 }] }),
    );
    try {
      expect(await put(frank, "catalog_shared", "flood1", bob.key)).toMatchObject({ code: 200 });
      const before = (await jetstreamManager(global).then((j) => j.streams.info(Stores.eventsStream))).state.last_seq;
      const throttled = await put(frank, "catalog_shared", "flood2", bob.key);
      expect(throttled).toMatchObject({
        code: 429,
        data: null,
        error_code: "RATE_LIMITED",
        error: expect.stringMatching(/3 events per day/) as unknown,
      });
      expect((await jetstreamManager(global).then((j) => j.streams.info(Stores.eventsStream))).state.last_seq).toBe(
        before,
      );
    } finally {
      await settings.put("accounts", original);
    }
    expect(await put(frank, "catalog_shared", "flood2", bob.key)).toMatchObject({ code: 200 });
    expect(await put(frank, "catalog_shared", "junk", bob.key, { blob: "x".repeat(4000) })).toMatchObject({
      code: 400,
      error_code: "BAD_EVENT_DATA",
    });
  });

  it("a full log refuses new events with 507 LOG_FULL and keeps every event it has (discard new, never old)", async () => {
    const jsm = await jetstreamManager(global);
    const { config, state } = await jsm.streams.info(Stores.eventsStream);
    expect(config.discard).toBe("new");
    expect(config.max_msgs_per_subject).toBeGreaterThan(0);
    // Room for a few bytes more than the log holds: no event fits, and nothing has to go.
    await jsm.streams.update(Stores.eventsStream, { ...config, max_bytes: state.bytes + 16 });
    try {
      expect(await put(alice, "catalog_shared", "toomuch", bob.key)).toMatchObject({
        code: 507,
        data: null,
        error_code: "LOG_FULL",
      });
      const after = (await jsm.streams.info(Stores.eventsStream)).state;
      expect({ first: after.first_seq, last: after.last_seq, messages: after.messages }).toEqual({
        first: state.first_seq,
        last: state.last_seq,
        messages: state.messages,
      });
    } finally {
      await jsm.streams.update(Stores.eventsStream, config);
    }
    expect(await put(alice, "catalog_shared", "toomuch", bob.key)).toMatchObject({ code: 200 });
  });
});
