import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { createAccount } from "@nats-io/nkeys";
import {
  DEAD_LETTER_STREAM,
  GLOBAL_OPS,
  MAX_GLOBAL_PAYLOAD,
  Stores,
  type Envelope,
  type GlobalOp,
} from "@natster/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NEX_NAMESPACE } from "../../infra/stack/nex-component.ts";
import { pingNodes, workloadPing } from "nex-node";
import { publicAuthorityClient } from "../support/authority.ts";
import { startFullStack, type FullStack } from "../support/full-stack.ts";
import { OTC_GENERATE_PER_ACCOUNT } from "../../functions/global-otc/src/core.ts";
import { initialize, newMember, projectionsCaughtUp, requestRaw, type Member } from "../support/global-service.ts";
import { fuzzSeed, pool, prng } from "@natster/test-kit";
import { ODD_JSON_VALUES } from "../support/fuzz.ts";

const enc = new TextEncoder();
const SEED = fuzzSeed();

type Case = { label: string; body: Uint8Array };
const json = (label: string, value: unknown): Case => ({ label, body: enc.encode(JSON.stringify(value)) });
const raw = (label: string, text: string): Case => ({ label, body: enc.encode(text) });

/** Ops whose body is ignored: any body gets the normal answer (200), only an oversize one 413. */
const BODYLESS: readonly GlobalOp[] = ["whoami", "stats", "my.shares", "context.get"];

describe("the global service under fuzzing from user accounts", () => {
  let stack: FullStack;
  let global: NatsConnection;
  let mallory: Member;
  let bob: Member;
  let workloadsBefore: string[];

  const workloads = async () =>
    (await workloadPing(global, NEX_NAMESPACE, undefined, 1000))
      .flatMap((p) => p.running_machines.map((m) => `${m.name}/${m.id}`))
      .sort();
  const lastSeq = async () => (await (await jetstreamManager(global)).streams.info(Stores.eventsStream)).state.last_seq;

  beforeAll(async () => {
    stack = await startFullStack();
    global = await stack.connect("global", "test-global");
    const authority = await publicAuthorityClient(stack);
    mallory = await newMember(stack, authority, "mallory");
    bob = await newMember(stack, authority, "bob");
    await initialize(mallory);
    await initialize(bob);
    await mallory.global.putEvent({ catalog: "fuzzcat", target: bob.key, event_type: "catalog_shared", data: null });
    await projectionsCaughtUp(global);
    workloadsBefore = await workloads();
  }, 180_000);
  afterAll(() => stack?.stop());

  /** The bodies for one op: random bytes, cut JSON, wrong types, missing fields, huge strings, deep nesting, oversize. */
  function casesFor(op: GlobalOp, random: () => number): Case[] {
    const other = bob.key;
    const cases: Case[] = [];
    for (let i = 0; i < 6; i++) {
      const bytes = new Uint8Array(1 + Math.floor(random() * 600)).map(() => Math.floor(random() * 256));
      bytes[0] = 0xfe; // never valid JSON, never a valid catalog name
      cases.push({ label: `random bytes #${i} (${bytes.length} B)`, body: bytes });
    }
    const valid = JSON.stringify({ event_type: "catalog_shared", catalog: "fuzzcat", target: other, data: null });
    for (let i = 0; i < 3; i++)
      cases.push(raw(`cut JSON #${i}`, valid.slice(0, 1 + Math.floor(random() * (valid.length - 2)))));
    cases.push(raw("deep array nesting", "[".repeat(8000) + "]".repeat(8000)));
    cases.push(raw("deep object nesting", '{"a":'.repeat(2500) + "1" + "}".repeat(2500)));
    cases.push({
      label: `oversize (${MAX_GLOBAL_PAYLOAD + 1} B)`,
      body: enc.encode(JSON.stringify({ s: "x".repeat(MAX_GLOBAL_PAYLOAD) })).slice(0, MAX_GLOBAL_PAYLOAD + 1),
    });
    cases.push(
      json("oversize (64 KiB JSON)", {
        event_type: "catalog_shared",
        catalog: "fuzzcat",
        target: other,
        data: "y".repeat(64 * 1024),
      }),
    );
    if (op === "catalogs.validatename") {
      for (const bad of [
        "{}",
        "[]",
        '"unterminated',
        '"bad name"',
        '"none"',
        "a b",
        "\u0000",
        "x".repeat(65),
        '{"name":"ok"}',
        "é",
        "../../etc",
      ])
        cases.push(raw(`name ${JSON.stringify(bad.slice(0, 20))}`, bad));
      cases.push(raw("huge name (15 000 chars)", "n".repeat(15_000)));
      cases.push(raw("huge JSON string name", JSON.stringify("q".repeat(15_000))));
      return cases;
    }
    for (const value of [null, ...ODD_JSON_VALUES]) cases.push(json(`JSON ${JSON.stringify(value)}`, value));
    const huge = "h".repeat(15_000);
    const nested: unknown = JSON.parse("[".repeat(2000) + "]".repeat(2000));
    switch (op) {
      case "events.put":
        cases.push(
          json("event_type number", { event_type: 5, catalog: "x", target: other }),
          json("missing catalog and target", { event_type: "catalog_shared" }),
          json("catalog number", { event_type: "catalog_shared", catalog: 7, target: other }),
          json("catalog object", { event_type: "catalog_shared", catalog: { a: 1 }, target: other }),
          json("target not a key", { event_type: "catalog_shared", catalog: "ok", target: "not-a-key" }),
          json("target a user key (U…)", { event_type: "catalog_shared", catalog: "ok", target: "U" + other.slice(1) }),
          json("target number", { event_type: "catalog_shared", catalog: "ok", target: 12 }),
          json("target nested", { event_type: "catalog_shared", catalog: "ok", target: nested }),
          json("unknown event type", { event_type: "catalog_frobnicated", catalog: "ok", target: other }),
          json("huge event type", { event_type: huge, catalog: "ok", target: other }),
          json("huge catalog", { event_type: "catalog_shared", catalog: huge, target: other }),
          json("catalog 'none'", { event_type: "catalog_shared", catalog: "none", target: other }),
          json("catalog with a dot", { event_type: "catalog_shared", catalog: "a.b", target: other }),
          json("catalog with a wildcard", { event_type: "catalog_shared", catalog: "*", target: other }),
          json("init with a catalog", { event_type: "natster_initialized", catalog: "x", target: "none" }),
          json("second init", { event_type: "natster_initialized", catalog: "none", target: "none" }),
          json("context_bound", {
            event_type: "context_bound",
            catalog: "none",
            target: "none",
            data: { bound_at: 1 },
          }),
          json("self share", { event_type: "catalog_shared", catalog: "selfie", target: mallory.key }),
          json("duplicate share", { event_type: "catalog_shared", catalog: "fuzzcat", target: other }),
          json("unshare of nothing", { event_type: "catalog_unshared", catalog: "nevershared", target: other }),
        );
        break;
      case "heartbeats.put":
        cases.push(
          json("catalog number", { catalog: 1, account_key: mallory.key }),
          json("missing account_key", { catalog: "fuzzcat" }),
          json("someone else's account_key", { catalog: "fuzzcat", account_key: other }),
          json("revision string", { catalog: "fuzzcat", account_key: mallory.key, revision: "7" }),
          json("revision fraction", { catalog: "fuzzcat", account_key: mallory.key, revision: 1.5 }),
          json("revision negative", { catalog: "fuzzcat", account_key: mallory.key, revision: -3 }),
          json("revision unsafe", { catalog: "fuzzcat", account_key: mallory.key, revision: 2 ** 60 }),
          json("revision nested", { catalog: "fuzzcat", account_key: mallory.key, revision: nested }),
          json("bad catalog name", { catalog: "bad name", account_key: mallory.key }),
          json("huge catalog", { catalog: huge, account_key: mallory.key }),
        );
        break;
      case "my.applied":
        cases.push(
          json("seq string", { seq: "1" }),
          json("seq negative", { seq: -1 }),
          json("seq fraction", { seq: 1.5 }),
          json("seq nested", { seq: nested }),
          json("seq beyond the log", { seq: 2 ** 50 }),
        );
        break;
      case "heartbeats.offline":
        cases.push(
          json("catalog number", { catalog: 5 }),
          json("no catalog", {}),
          json("huge catalog", { catalog: huge }),
          json("catalog 'none'", { catalog: "none" }),
        );
        break;
      case "otc.generate":
        cases.push(
          json("sealed number", { sealed: 5 }),
          json("sealed not base64url", { sealed: "not base64 !" }),
          json("sealed too long", { sealed: "A".repeat(9000) }),
          json("sealed nested", { sealed: nested }),
          json("no sealed", {}),
        );
        break;
      case "otc.claim":
        cases.push(json("well-formed code", { code: "0123456789abcdefghjk" }), json("code number", { code: 5 }));
        break;
      default:
        break;
    }
    return cases;
  }

  it(`every subject answers malformed input with a 4xx envelope, never a timeout (seed ${SEED})`, async () => {
    const random = prng(SEED);
    const seqBefore = await lastSeq();
    const baseline = {
      whoami: await requestRaw(mallory.nc, "natster.global.whoami", undefined),
      stats: await requestRaw(mallory.nc, "natster.global.stats", undefined),
      "my.shares": await requestRaw(mallory.nc, "natster.global.my.shares", undefined),
      "context.get": await requestRaw(mallory.nc, "natster.global.context.get", undefined),
    } as Record<string, Envelope<unknown>>;
    expect(Object.values(baseline).map((e) => e.code)).toEqual([200, 200, 200, 200]);

    const work = GLOBAL_OPS.flatMap((op) => casesFor(op, random).map((c) => ({ op, ...c })));
    const problems: string[] = [];
    let requests = 0;
    await pool(work, 6, async ({ op, label, body }) => {
      const subject = `natster.global.${op}`;
      requests++;
      let reply: Envelope<unknown> & { error_code?: string };
      try {
        reply = await requestRaw(mallory.nc, subject, body, 5000);
      } catch (e) {
        problems.push(`${subject} <- ${label}: no reply (${(e as Error).message})`);
        return;
      }
      const oversize = body.length > MAX_GLOBAL_PAYLOAD;
      const shown = JSON.stringify(reply).slice(0, 200);
      if (oversize) {
        if (reply.code !== 413 || reply.error_code !== "PAYLOAD_TOO_LARGE")
          problems.push(`${subject} <- ${label}: wanted 413 PAYLOAD_TOO_LARGE, got ${shown}`);
      } else if (BODYLESS.includes(op)) {
        // The body is ignored, as upstream: the normal answer, unchanged by the garbage.
        if (JSON.stringify(reply) !== JSON.stringify(baseline[op]))
          problems.push(`${subject} <- ${label}: wanted the normal answer, got ${shown}`);
      } else if (
        !(
          reply.code >= 400 &&
          reply.code < 500 &&
          typeof reply.error_code === "string" &&
          reply.data === null &&
          typeof reply.error === "string"
        )
      ) {
        problems.push(`${subject} <- ${label}: wanted a 4xx envelope with an error_code, got ${shown}`);
      }
    });

    // The public (web) account: the only subject it reaches is otc.claim.
    const publicNc = await stack.connect("public", "fuzz-public");
    const claims: Case[] = [
      { label: "random bytes", body: new Uint8Array(300).map(() => Math.floor(random() * 256)).fill(0xfe, 0, 1) },
      raw("cut JSON", '{"code":"0123'),
      json("code number", { code: 5 }),
      json("code too short", { code: "abc" }),
      json("code with i/l/o/u", { code: "iiiiiiiiiiiiiiiiiiii" }),
      json("unknown code", { code: "0123456789abcdefghjk" }),
      json("UPPER unknown code", { code: "0123456789ABCDEFGHJK" }),
      json("huge code", { code: "c".repeat(15_000) }),
      json("array", [{ code: "0123456789abcdefghjk" }]),
      { label: "oversize", body: new Uint8Array(MAX_GLOBAL_PAYLOAD + 10).fill(0x20) },
    ];
    for (const { label, body } of claims) {
      requests++;
      const reply = await requestRaw(publicNc, "natster.global.otc.claim", body).catch((e: unknown) => ({
        timeout: (e as Error).message,
      }));
      if (!("code" in reply) || reply.code < 400 || reply.code >= 500 || !("error_code" in reply))
        problems.push(`public otc.claim <- ${label}: ${JSON.stringify(reply).slice(0, 200)}`);
    }

    // Unknown verbs in known families are the family function's 404; an unknown family has no function (no responders, at once).
    const unknownVerbs = [
      "frobnicate",
      "events",
      "events.frobnicate",
      "heartbeats.frobnicate",
      "my.frobnicate",
      "otc.frobnicate",
      "catalogs.frobnicate",
      "context.frobnicate",
      "hasOwnProperty",
      "__proto__",
      "constructor",
      "my.toString",
      "events.__proto__",
    ];
    for (const verb of unknownVerbs) {
      requests++;
      const reply = await requestRaw(mallory.nc, `natster.global.${verb}`, { event_type: "catalog_shared" }).catch(
        (e: unknown) => ({ error: (e as Error).message }),
      );
      if (
        !("code" in reply) ||
        reply.code !== 404 ||
        (reply as { error_code?: string }).error_code !== "UNKNOWN_VERB"
      ) {
        problems.push(`natster.global.${verb}: wanted 404 UNKNOWN_VERB, got ${JSON.stringify(reply).slice(0, 200)}`);
      }
    }
    // An unknown family (or a deeper subject) matches no function trigger. Inside NATSTER_GLOBAL that is
    // an immediate no-responders error; through a user's service import nats-server 2.9 sends none (the
    // import itself is the interest), so the caller sees its own timeout: asserted here, bounded to 1 s.
    const unrouted = ["frob.nicate", "events.put.extra", "a.b.c.d", "my.shares.x"];
    await Promise.all(
      unrouted.map(async (op) => {
        requests += 2;
        // "No responders" is its own error, told apart from a timeout by what it says, not by how soon.
        const inside = await requestRaw(global, `natster.global.${mallory.key}.${op}`, "{}", 5000).then(
          (r) => `a reply ${JSON.stringify(r)}`,
          (e: unknown) => (e as Error).message,
        );
        if (!/no responders|503/i.test(inside))
          problems.push(
            `natster.global.<caller>.${op} in NATSTER_GLOBAL: wanted a no-responders error, got '${inside}'`,
          );
        const outside = await requestRaw(mallory.nc, `natster.global.${op}`, "{}", 1000).then(
          (r) => `a reply ${JSON.stringify(r)}`,
          (e: unknown) => (e as Error).message,
        );
        if (!/no responders|503|timeout/i.test(outside))
          problems.push(`natster.global.${op} from a user: wanted no reply, got '${outside}'`);
      }),
    );

    expect(problems, `seed ${SEED}: ${problems.length} of ${requests} requests misbehaved`).toEqual([]);
    expect(requests).toBeGreaterThan(250);
    expect(await lastSeq(), "no malformed request appended an event").toBe(seqBefore);
    const dead = await (await jetstreamManager(global)).streams.info(DEAD_LETTER_STREAM);
    expect(dead.state.messages).toBe(0);
  });

  it("afterwards the node keeps every workload and every function answers normally", async () => {
    expect(await workloads()).toEqual(workloadsBefore);
    expect(workloadsBefore.length).toBeGreaterThanOrEqual(12);
    expect((await pingNodes(global, 1000)).map((n) => n.node_id)).toContain(stack.nodeId);

    expect(await mallory.global.whoami()).toMatchObject({ account_key: mallory.key });
    expect(await bob.global.myShares()).toContainEqual({
      from_account: mallory.key,
      to_account: bob.key,
      catalog: "fuzzcat",
      catalog_online: false,
      revision: 0,
    });
    expect(await bob.global.stats()).toMatchObject({ total_initialized: 2 });
    expect(await bob.global.validateName("fuzzcat")).toMatchObject({ valid: false });
    expect(await requestRaw(mallory.nc, "natster.global.context.get", undefined)).toMatchObject({
      code: 200,
      data: { account_key: mallory.key },
    });
    expect(
      await requestRaw(mallory.nc, "natster.global.heartbeats.put", {
        catalog: "fuzzcat",
        account_key: mallory.key,
        revision: 2,
      }),
    ).toEqual({ code: 200, data: "" });
    expect(await bob.global.myShares()).toContainEqual({
      from_account: mallory.key,
      to_account: bob.key,
      catalog: "fuzzcat",
      catalog_online: true,
      revision: 2,
    });
    expect(await requestRaw(mallory.nc, "natster.global.heartbeats.offline", { catalog: "fuzzcat" })).toEqual({
      code: 200,
      data: "",
    });
    expect((await mallory.global.otcGenerate("c2VhbGVk")).code).toHaveLength(20);
    const target = createAccount().getPublicKey();
    await mallory.global.putEvent({ catalog: "afterfuzz", target, event_type: "catalog_shared", data: null });
    await projectionsCaughtUp(global);
    expect(await mallory.global.myShares()).toContainEqual({
      from_account: mallory.key,
      to_account: target,
      catalog: "afterfuzz",
      catalog_online: false,
      revision: 0,
    });
  });

  it("otc.generate: an account over its rate gets 429 OTC_RATE_LIMITED while another account still generates codes", async () => {
    let refusal: (Envelope<unknown> & { error_code?: string }) | undefined;
    let generated = 0;
    for (let i = 0; i < 30 && !refusal; i++) {
      const reply = await requestRaw(mallory.nc, "natster.global.otc.generate", { sealed: "c2VhbGVk" });
      if (reply.code === 200) generated++;
      else refusal = reply;
    }
    expect(refusal).toMatchObject({ code: 429, data: null, error_code: "OTC_RATE_LIMITED" });
    expect(generated).toBeLessThanOrEqual(OTC_GENERATE_PER_ACCOUNT.max);
    expect((await bob.global.otcGenerate("c2VhbGVk")).code).toHaveLength(20);
  });
});
