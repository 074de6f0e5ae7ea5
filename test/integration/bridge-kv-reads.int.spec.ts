import { jetstreamManager } from "@nats-io/jetstream";
import { Kvm, type KV } from "@nats-io/kv";
import type { KvReadJsonReply, KvReadReply } from "@natster/protocol";
import { describe, expect, it } from "vitest";
import { startKvReads } from "../../workloads/trigger-bridge/src/kv-reads.ts";
import { startTestStack } from "../support/test-stack.ts";
import { suiteStack } from "../support/suite-stack.ts";

type Answer = { last_seq: number; values: (string | null)[] };

describe("the bridge's batch reads (KvReadRequest)", () => {
  const suite = suiteStack(startTestStack, async (stack) => {
    const nc = await stack.connect("global", "kv-reads");
    const reads = startKvReads(nc, await jetstreamManager(nc));
    stack.defer(() => reads.stop());
    return { nc, reads };
  });

  const ask = async (bucket: string, keys: string[]): Promise<KvReadReply> =>
    (
      await suite.nc.request(suite.reads.subject, JSON.stringify({ bucket, keys }), { timeout: 5_000 })
    ).json<KvReadReply>();
  const read = async (bucket: string, keys: string[]): Promise<Answer> => {
    const reply = await ask(bucket, keys);
    if ("error" in reply) throw new Error(reply.error);
    return reply;
  };
  const bucket = async (name: string): Promise<KV> => new Kvm(suite.nc).create(name, { history: 1 });
  const lastSeq = async (name: string) =>
    (await (await jetstreamManager(suite.nc)).streams.info(`KV_${name}`)).state.last_seq;

  it("given stored, deleted and absent keys, when read, then each value or null comes back with the bucket's last sequence", async () => {
    const kv = await bucket("READS_A");
    await kv.put("a", '{"n":1}');
    await kv.put("b", '{"n":2}');
    await kv.put("gone", "{}");
    await kv.delete("gone");
    expect(await read("READS_A", ["b", "gone", "never", "a"])).toEqual({
      last_seq: await lastSeq("READS_A"),
      values: ['{"n":2}', null, null, '{"n":1}'],
    });
  });

  it("given a request for JSON, when read, then each stored JSON value comes back as itself and an absent one as null", async () => {
    const kv = await bucket("READS_J");
    await kv.put("a", '{"n":1,"s":"\\"x\\""}');
    await kv.put("b", "[1,2]");
    const request = JSON.stringify({ bucket: "READS_J", keys: ["b", "never", "a"], json: true });
    const reply = (await suite.nc.request(suite.reads.subject, request, { timeout: 5_000 })).json<KvReadJsonReply>();
    expect(reply).toEqual({ last_seq: await lastSeq("READS_J"), values: [[1, 2], null, { n: 1, s: '"x"' }] });
  });

  it("given values written after a read, when read again, then the new values and the new last sequence come back", async () => {
    const kv = await bucket("READS_B");
    await kv.put("k", "1");
    expect((await read("READS_B", ["k"])).values).toEqual(["1"]);
    for (let i = 2; i <= 50; i++) await kv.put(`k${i % 7}`, String(i));
    await kv.put("k", "last");
    expect(await read("READS_B", ["k", "k0", "k6"])).toEqual({
      last_seq: await lastSeq("READS_B"),
      values: ["last", "49", "48"],
    });
  });

  it("given a bucket purged behind the reader, when read, then nothing of the purged values comes back", async () => {
    const kv = await bucket("READS_C");
    await kv.put("x", "old");
    expect((await read("READS_C", ["x"])).values).toEqual(["old"]);
    await (await jetstreamManager(suite.nc)).streams.purge("KV_READS_C");
    expect(await read("READS_C", ["x"])).toEqual({ last_seq: await lastSeq("READS_C"), values: [null] });
    await kv.put("x", "new");
    expect((await read("READS_C", ["x"])).values).toEqual(["new"]);
  });

  it("given values larger than one reply, when read, then a prefix is answered under the payload limit and the rest on the next request", async () => {
    const kv = await bucket("READS_D");
    const big = "x".repeat(200_000);
    const keys = ["a", "b", "c", "d", "e", "f"];
    for (const k of keys) await kv.put(k, JSON.stringify(big + k));
    const first = await read("READS_D", keys);
    expect(first.values.length).toBeGreaterThan(0);
    expect(first.values.length).toBeLessThan(keys.length);
    const rest = await read("READS_D", keys.slice(first.values.length));
    expect(
      [...first.values, ...rest.values].slice(0, keys.length).map((v) => (JSON.parse(v ?? "null") as string).slice(-1)),
    ).toEqual([...first.values, ...rest.values].slice(0, keys.length).map((_, i) => keys[i]));
  });

  it.each([
    ["not JSON", "{"],
    ["no bucket", JSON.stringify({ keys: ["a"] })],
    ["a bad key", JSON.stringify({ bucket: "READS_A", keys: ["a b"] })],
    ["no keys", JSON.stringify({ bucket: "READS_A", keys: [] })],
  ])("given %s, when asked, then a clear error comes back", async (_why, body) => {
    const reply = (await suite.nc.request(suite.reads.subject, body, { timeout: 5_000 })).json<KvReadReply>();
    expect(reply).toEqual({ error: expect.stringMatching(/JSON|bucket|key/) as unknown });
  });

  it("given a bucket that does not exist, when read, then an error names it", async () => {
    expect(await ask("READS_NONE", ["a"])).toEqual({ error: expect.stringMatching(/READS_NONE/) as unknown });
  });
});
