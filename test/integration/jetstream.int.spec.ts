import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { describe, expect, it } from "vitest";
import { createTestUser, publicAuthorityClient, runAuthority } from "../support/authority.ts";
import { startTestStack } from "../support/test-stack.ts";
import { suiteStack } from "../support/suite-stack.ts";

describe("JetStream in the stack's accounts", () => {
  const suite = suiteStack(startTestStack, async (stack) => {
    await runAuthority(stack);
    return {};
  });

  it("NATSTER_GLOBAL has a stream with publish acks and a KV bucket", async () => {
    const nc = await suite.stack.connect("global");
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: "EVENTS_PROBE", subjects: ["probe.events.>"] });
    const ack = await jetstream(nc).publish("probe.events.one", "hello");
    expect(ack.stream).toBe("EVENTS_PROBE");
    expect(ack.seq).toBe(1);
    const kv = await new Kvm(nc).create("PROBE_KV", { history: 1 });
    await kv.put("k", "v");
    expect((await kv.get("k"))?.string()).toBe("v");
    const limits = (await jsm.getAccountInfo()).limits;
    expect(limits.max_storage).toBe(4 * 2 ** 30);
  });

  it("a user account created through the authority has JetStream", async () => {
    const user = await createTestUser(suite.stack, await publicAuthorityClient(suite.stack), "js-user");
    const nc = await user.connect();
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: "MINE", subjects: ["mine.>"] });
    const ack = await jetstream(nc).publish("mine.x", "data");
    expect(ack.seq).toBe(1);
    expect((await jsm.getAccountInfo()).limits.max_streams).toBe(32);
  });
});
