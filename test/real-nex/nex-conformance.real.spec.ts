/**
 * Conformance: the local Nex node against real Nex 0.3.0-rc1 (`nex node up`, no sandbox, nex-agent with V8).
 * Each node gets its own operator-mode nats-server with the same global provisioning; every function bundle,
 * upstream's plain echo script and the contract fixtures are deployed to both, the same requests (fuzz
 * inputs included, from a fixed seed) are sent to both in the same order, and the replies must be
 * byte-identical (or both absent). The contract checks then assert what real 0.x does on both nodes.
 */
import { createAccount } from "@nats-io/nkeys";
import { GLOBAL_OPS, Subjects } from "@natster/protocol";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildAllFunctions } from "../../functions/bundle.ts";
import { loadNexfiles } from "../../infra/deploy/nexfile.ts";
import { defaultGlobalConfig, provisionGlobal } from "../../infra/global/provision.ts";
import { repoRoot } from "@natster/node-kit";
import { counter, echoFunction, runaway, stringReturn, throwsError } from "../fixtures/nex/scripts.ts";
import { NEX_KINDS, startTestNexNode, type NexKind, type Outcome, type TestNexNode } from "../support/nex-nodes.ts";
import { startTestStack, type TestStack } from "../support/test-stack.ts";
import { prng } from "@natster/test-kit";

const enc = new TextEncoder();
const SEED = Number(process.env.NATSTER_CONFORMANCE_SEED ?? 20240815);
/** A caller account key in the token position of the global subjects (any account key will do). */
const CALLER = "ADRH2BMBWDFJ5OO6LFZJ3OVWDNRTFMG7YOSVRYMNRZUDVFZS7FMKZ5PI";

type Case = { label: string; subject: string; body: Uint8Array };

/** Valid, empty, random, cut, wrongly typed and non-ASCII bodies for one subject. */
function fuzzCases(subject: string, random: () => number): Case[] {
  const cases: Case[] = [];
  const add = (label: string, body: Uint8Array | string) =>
    cases.push({ label: `${subject} ${label}`, subject, body: typeof body === "string" ? enc.encode(body) : body });
  add("empty", "");
  add("null", "null");
  add(
    "object",
    JSON.stringify({
      catalog: "conformance",
      target: CALLER,
      event_type: "catalog_shared",
      data: null,
      name: "ok-name",
      code: "abc",
    }),
  );
  add("wrong types", JSON.stringify({ catalog: 7, target: [], event_type: {}, data: "x", name: false }));
  add("non-ASCII", JSON.stringify({ name: "caf\u00e9 \u{1f600}", catalog: "\u00fc" }));
  for (let i = 0; i < 3; i++)
    add(
      `random bytes #${i}`,
      new Uint8Array(1 + Math.floor(random() * 300)).map(() => Math.floor(random() * 256)),
    );
  const valid = JSON.stringify({ event_type: "catalog_shared", catalog: "fuzzcat", target: CALLER, data: null });
  add("cut JSON", valid.slice(0, 1 + Math.floor(random() * (valid.length - 2))));
  add("deep nesting", "[".repeat(3000) + "]".repeat(3000));
  return cases;
}

const echoSubject = "conformance.echo";
const fixtures: { name: string; script: string; trigger: string }[] = [
  { name: "upstream-echo", script: echoFunction, trigger: `${echoSubject}.>` },
  { name: "string-return", script: stringReturn, trigger: "conformance.string" },
  { name: "throws", script: throwsError, trigger: "conformance.throws" },
  { name: "counter", script: counter, trigger: "conformance.counter" },
  { name: "runaway", script: runaway, trigger: "conformance.runaway" },
  {
    name: "host-errors",
    trigger: "conformance.host",
    // Every thrown host-service error, as the function sees it (type and text).
    script: `(subject, payload) => {
  const caught = (f) => { try { f(); return "no error"; } catch (e) { return typeof e + ":" + e; } };
  const k = kv("CONFORMANCE");
  k.set("present", new Uint8Array([0x6f, 0x6b]));
  return {
    present: String.fromCharCode(...k.get("present")),
    missingKey: caught(() => k.get("missing")),
    notBytes: caught(() => k.set("k", "text")),
    noBucket: caught(() => kv()),
    requestMany: caught(() => messaging.requestMany("x", new Uint8Array(0))),
    noResponders: caught(() => messaging.request("conformance.nobody", new Uint8Array(0))),
    missingObject: caught(() => objectStore("CONFORMANCEOBJ").get("missing")),
    legacyHostServices: typeof globalThis.hostServices,
  };
};
`,
  },
];

type NodeOnStack = { stack: TestStack; node: TestNexNode };

describe("Nex conformance: the local node answers exactly as real Nex 0.3.0-rc1", () => {
  const nodes = {} as Record<NexKind, NodeOnStack>;
  let bundles: { name: string; path: string; triggers: string[] }[] = [];
  const deployed = {} as Record<NexKind, Record<string, { ok: true } | { ok: false; error: string }>>;

  /** Sends the same case to both nodes (at once: they share nothing) and returns both outcomes. */
  const both = async (subject: string, body: Uint8Array, timeoutMs?: number): Promise<Record<NexKind, Outcome>> => {
    const [local, real] = await Promise.all(NEX_KINDS.map((k) => nodes[k].node.request(subject, body, timeoutMs)));
    return { local: local as Outcome, real: real as Outcome };
  };

  beforeAll(async () => {
    const report = await buildAllFunctions(join(repoRoot, "functions"));
    if (report.failed.length > 0) throw new Error(report.failed.map((f) => f.message).join("; "));
    bundles = loadNexfiles(join(repoRoot, "nexfiles"))
      .filter((n) => n.type === "v8")
      .map((n) => ({
        name: n.name,
        path: join(repoRoot, n.start_request.artifact),
        triggers: n.start_request.trigger_subjects ?? [],
      }));
    for (const kind of NEX_KINDS) {
      const stack = await startTestStack();
      const global = await stack.connect("global", "provision");
      const a = stack.identity.accounts;
      await provisionGlobal(
        global,
        defaultGlobalConfig(
          { hub: a.HUB.public_key, public: a.NATSTER_PUBLIC.public_key, global: a.NATSTER_GLOBAL.public_key },
          "http://127.0.0.1:1",
        ),
      );
      const node = await startTestNexNode(stack, kind);
      nodes[kind] = { stack, node };
      deployed[kind] = {};
      for (const b of bundles)
        deployed[kind][b.name] = await node.deploy(b.name, readFileSync(b.path), {
          type: "v8",
          triggerSubjects: b.triggers,
        });
      for (const f of fixtures)
        deployed[kind][f.name] = await node.deploy(f.name, enc.encode(f.script), {
          type: "v8",
          triggerSubjects: [f.trigger],
        });
    }
  }, 600_000);
  afterAll(async () => {
    for (const kind of NEX_KINDS) await nodes[kind]?.stack.stop();
  }, 120_000);

  it("both nodes accept every function bundle and fixture", () => {
    for (const kind of NEX_KINDS) {
      for (const [name, result] of Object.entries(deployed[kind]))
        expect(result, `${kind}: ${name}`).toEqual({ ok: true });
    }
    expect(Object.keys(deployed.real).sort()).toEqual(
      [...bundles.map((b) => b.name), ...fixtures.map((f) => f.name)].sort(),
    );
  });

  it(
    "every global op and projection trigger answers the same fuzz inputs byte for byte",
    { timeout: 600_000 },
    async () => {
      const random = prng(SEED);
      const subjects = [
        ...GLOBAL_OPS.map((op) => Subjects.globalFromCaller(CALLER, op)),
        "natster.internal.projections.account",
        "natster.internal.projections.catalog",
      ];
      const cases = subjects.flatMap((s) => fuzzCases(s, random));
      const differences: string[] = [];
      const unanswered: string[] = [];
      for (const c of cases) {
        const out = await both(c.subject, c.body);
        if (JSON.stringify(out.local) !== JSON.stringify(out.real)) {
          differences.push(
            `${c.label} (seed ${SEED}): local ${JSON.stringify(out.local)} / real ${JSON.stringify(out.real)}`,
          );
        }
        if (!("reply" in out.real)) unanswered.push(c.label);
      }
      expect(differences).toEqual([]);
      // Every function answers bad input with an error envelope: equal silence would prove nothing.
      expect(unanswered).toEqual([]);
      expect(cases.length).toBeGreaterThan(100);
    },
  );

  it("upstream's plain echo script: the same JSON for ASCII, binary and empty payloads, on a wildcard trigger", async () => {
    const payloads = [
      enc.encode("heya"),
      new Uint8Array([0, 1, 127, 128, 200, 255]),
      new Uint8Array(0),
      enc.encode("\u00e9\u{1f600}"),
    ];
    for (const p of payloads) {
      const out = await both(`${echoSubject}.a.b`, p);
      expect(out.local).toEqual(out.real);
      expect("reply" in out.real).toBe(true);
    }
    expect(await nodes.real.node.request(`${echoSubject}.x`, enc.encode("hi"))).toEqual({
      reply: '{"triggered_on":"conformance.echo.x","payload":"hi"}',
    });
  });

  it("a returned string is JSON-quoted", async () => {
    const out = await both("conformance.string", enc.encode("there"));
    expect(out.real).toEqual({ reply: '"heya there"' });
    expect(out.local).toEqual(out.real);
  });

  it("a function that throws sends no reply at all", async () => {
    const out = await both("conformance.throws", enc.encode("x"));
    expect(out.real).toEqual({ noReply: true });
    expect(out.local).toEqual(out.real);
  });

  it("every call runs in a fresh context: module and global state never survive", async () => {
    for (let i = 0; i < 3; i++) {
      const out = await both("conformance.counter", new Uint8Array(0));
      expect(out.real).toEqual({ reply: '{"loads":1,"calls":1,"seen":1}' });
      expect(out.local).toEqual(out.real);
    }
  });

  it(
    "a call past the 5 s limit gets no reply; a fresh call to another function still answers",
    { timeout: 120_000 },
    async () => {
      const spin = await both("conformance.runaway", enc.encode("spin"), 12_000);
      expect(spin.real).toEqual({ noReply: true });
      expect(spin.local).toEqual(spin.real);
      const after = await both("conformance.string", enc.encode("after"));
      expect(after.real).toEqual({ reply: '"heya after"' });
      expect(after.local).toEqual(after.real);
    },
  );

  it("host-service errors reach the function as the same thrown strings", { timeout: 60_000 }, async () => {
    // The first call creates the KV and object buckets (auto-provision), which on a busy machine can take real
    // Nex past its 5 s limit; the function is idempotent, so the second call is the one compared.
    await both("conformance.host", new Uint8Array(0), 15_000);
    const out = await both("conformance.host", new Uint8Array(0), 15_000);
    if (!("reply" in out.real) || !("reply" in out.local)) throw new Error(`no reply: ${JSON.stringify(out)}`);
    expect(JSON.parse(out.local.reply)).toEqual(JSON.parse(out.real.reply));
    expect(out.local.reply).toBe(out.real.reply);
  });

  it("a script of 12,288 bytes deploys; one byte more is refused by both nodes", { timeout: 120_000 }, async () => {
    const sized = (n: number) => {
      const head = `(subject, payload) => "size";\n//`;
      return enc.encode(head + "x".repeat(n - head.length));
    };
    for (const kind of NEX_KINDS) {
      const node = nodes[kind].node;
      expect(
        await node.deploy(`limit-ok-${kind}`, sized(12_288), {
          type: "v8",
          triggerSubjects: [`conformance.limit.${kind}`],
        }),
      ).toEqual({ ok: true });
      const over = await node.deploy(`limit-over-${kind}`, sized(12_289), {
        type: "v8",
        triggerSubjects: [`conformance.over.${kind}`],
      });
      expect(over.ok, `${kind} accepted a 12,289-byte script`).toBe(false);
    }
    expect(await nodes.real.node.request("conformance.limit.real", new Uint8Array(0))).toEqual({ reply: '"size"' });
    expect(await nodes.local.node.request("conformance.limit.local", new Uint8Array(0))).toEqual({ reply: '"size"' });
  });

  it("a deploy signed by an issuer the node does not trust is refused by both nodes with the same message", async () => {
    const stranger = createAccount();
    const [local, real] = await Promise.all(
      NEX_KINDS.map((k) =>
        nodes[k].node.deploy(`stranger-${k}`, enc.encode(stringReturn), {
          type: "v8",
          triggerSubjects: [`conformance.stranger.${k}`],
          signedBy: stranger,
        }),
      ),
    );
    expect(real?.ok).toBe(false);
    expect(real && !real.ok && real.error).toContain(`invalid workload issuer: ${stranger.getPublicKey()}`);
    expect(local).toEqual(real);
  });

  it("triggers on $SYS, $JS and $NEX subjects are refused by both nodes with the same message", async () => {
    for (const subject of ["$SYS.REQ.>", "$JS.API.>", "$NEX.PING", ">"]) {
      const results = await Promise.all(
        NEX_KINDS.map((k) =>
          nodes[k].node.deploy(`deny-${k}`, enc.encode(stringReturn), { type: "v8", triggerSubjects: [subject] }),
        ),
      );
      const [local, real] = results;
      expect(real?.ok, `real accepted ${subject}`).toBe(false);
      expect(local?.ok, `local accepted ${subject}`).toBe(false);
      expect(local && !local.ok && local.error).toBe(real && !real.ok && real.error);
    }
  });
});
