import {
  CONFIG_KEY,
  Subjects,
  type GlobalConfig,
  type JetStreamTriggerBatch,
  type JetStreamTriggerEvent,
} from "@natster/protocol";
import { mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";
import { bundleFunction, loadHandler } from "../../bundle.ts";
import { hostThrow, installNex03, type FakeHost } from "nex-fn/testing";
import type { KvBucket, NexGlobals } from "nex-fn";
import { compactBatch } from "./compact-batch.ts";
import { FakeJetStream, type StreamMessage } from "./fake-jetstream.ts";
import { newAccount } from "./keys.ts";

export { newAccount };

export const FUNCTIONS = [
  "global-root",
  "global-events",
  "global-heartbeats",
  "global-my",
  "global-otc",
  "global-catalogs",
  "global-context",
  "project-account",
  "project-catalog",
] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

const functionsRoot = fileURLToPath(new URL("../..", import.meta.url));
const outDir = mkdtempSync(join(tmpdir(), "natster-fn-"));
const built = new Map<FunctionName, Promise<string>>();
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** The built bundle (esbuild, same options and checks as `functions/build.ts`), once per test file. */
export function bundleOf(name: FunctionName): Promise<string> {
  let source = built.get(name);
  if (!source) {
    source = bundleFunction(join(functionsRoot, name), outDir).then((b) => readFile(b.file, "utf8"));
    built.set(name, source);
  }
  return source;
}

export const loadBundles = async (names: readonly FunctionName[] = FUNCTIONS): Promise<Map<FunctionName, string>> =>
  new Map(await Promise.all(names.map(async (n) => [n, await bundleOf(n)] as const)));

const enc = new TextEncoder();
export const bytes = (body: unknown): Uint8Array =>
  body instanceof Uint8Array ? body : enc.encode(typeof body === "string" ? body : JSON.stringify(body));

export type Reply = { code: number; data: unknown; error?: string; error_code?: string };

/** Rows per part of a call in parts (batchForm "parts"). */
const PART_ROWS = 7;

const projectionSubject = (name: FunctionName) =>
  name === "project-account" ? "natster.internal.projections.account" : "natster.internal.projections.catalog";

const triggerEvent = (message: StreamMessage, delivery: number): JetStreamTriggerEvent => ({
  stream: "NATSTER_EVENTS",
  seq: message.seq,
  subject: message.subject,
  time: message.time,
  delivery,
  data: new TextDecoder().decode(message.data),
});

/**
 * A global service in memory: the fake Nex host (KV, messaging) plus a fake JetStream behind
 * `messaging.request`. Every call evaluates the built bundle in a fresh `node:vm` context, as Nex
 * does, and returns what Nex would reply: the JSON of the return value.
 */
export class Stack {
  readonly fake: FakeHost;
  readonly js: FakeJetStream;
  readonly config: GlobalConfig;
  private readonly services: NexGlobals;
  private readonly projected = new Map<FunctionName, number>();
  private calls = 0;
  /** How deliverBatch sends events: compact rows as the bridge does, one JetStreamTriggerEvent each, or compact rows in parts of PART_ROWS (with reads). */
  batchForm: "compact" | "plain" | "parts" = "compact";
  /** Host `kv(bucket).get` calls made, per bucket. */
  readonly kvGets = new Map<string, number>();

  constructor(
    private readonly bundles: Map<FunctionName, string>,
    config: Partial<GlobalConfig> = {},
  ) {
    this.fake = installNex03();
    const g = globalThis as unknown as NexGlobals;
    const kv = g.kv.bind(g);
    this.services = {
      kv: (bucket) => counted(faithfulKeys(kv(bucket)), bucket, this.kvGets),
      objectStore: g.objectStore.bind(g),
      messaging: g.messaging,
      http: g.http,
    };
    this.fake.restore();
    this.js = new FakeJetStream(this.fake.buckets);
    this.fake.responder = this.js.respond;
    this.fake.onPublish = this.js.published;
    this.config = {
      hub: newAccount(),
      public: newAccount(),
      global: newAccount(),
      hub_catalog: "hub",
      otc_ttl_ms: 300_000,
      ...config,
    };
    this.kvPut("NATSTER_CONFIG", CONFIG_KEY, this.config);
  }

  /** Invokes a function as Nex does; a throw (no reply under Nex) fails the test. */
  invoke(name: FunctionName, subject: string, payload: Uint8Array): unknown {
    const source = this.bundles.get(name);
    if (!source) throw new Error(`bundle ${name} not loaded`);
    const result = loadHandler(source, this.services)(subject, payload);
    return JSON.parse(JSON.stringify(result)) as unknown;
  }

  /** The caller subject of `op` (Subjects.globalFromCaller) with a JSON (or raw) body, answered by the function that owns the op. */
  api(caller: string, op: string, body: unknown = new Uint8Array()): Reply {
    return this.invoke(functionFor(op), Subjects.globalFromCaller(caller, op), bytes(body)) as Reply;
  }

  /** The trigger bridge: hands every not-yet-projected event to each projection, in order. */
  project(names: readonly FunctionName[] = ["project-account", "project-catalog"]): unknown[] {
    const replies: unknown[] = [];
    for (const name of names) {
      const from = this.projected.get(name) ?? 0;
      for (const message of this.js.events.slice(from)) replies.push(this.deliver(name, message));
      this.projected.set(name, this.js.events.length);
    }
    return replies;
  }

  deliver(name: FunctionName, message: StreamMessage, delivery = 1): unknown {
    return this.invoke(name, projectionSubject(name), bytes(triggerEvent(message, delivery)));
  }

  /** Several messages in one call, as the bridge's batched triggers send them (with its batch reads when `reads`). */
  deliverBatch(
    name: FunctionName,
    messages: readonly StreamMessage[],
    through = messages[messages.length - 1]?.seq ?? 0,
    delivery = 1,
    reads = false,
  ): unknown {
    const events = messages.map((m) => triggerEvent(m, delivery));
    const readsSubject = reads ? this.js.reads.subject : undefined;
    if (this.batchForm === "parts" && readsSubject !== undefined && events.length > PART_ROWS)
      return this.invoke(name, projectionSubject(name), bytes(this.inParts(events, through, readsSubject)));
    const batch: JetStreamTriggerBatch =
      this.batchForm === "plain"
        ? { stream: "NATSTER_EVENTS", through, events, ...(readsSubject === undefined ? {} : { reads: readsSubject }) }
        : compactBatch("NATSTER_EVENTS", through, events, readsSubject);
    return this.invoke(name, projectionSubject(name), bytes(batch));
  }

  /** A compact call of the first PART_ROWS events, its other events in parts the fake bridge serves on `reads`. */
  private inParts(events: readonly JetStreamTriggerEvent[], through: number, reads: string): JetStreamTriggerBatch {
    const chunks: JetStreamTriggerEvent[][] = [];
    for (let i = 0; i < events.length; i += PART_ROWS) chunks.push(events.slice(i, i + PART_ROWS));
    const [first, ...rest] = chunks.map((chunk) => compactBatch("NATSTER_EVENTS", through, chunk, reads));
    const batch = `call-${++this.calls}`;
    this.js.reads.parts.set(
      batch,
      rest.map((part) => ("rows" in part ? { tokens: part.tokens, time_base: part.time_base, rows: part.rows } : {})),
    );
    return { ...(first as JetStreamTriggerBatch), more: { batch, parts: rest.length } };
  }

  kvGet<T>(bucket: string, key: string): T | undefined {
    const value = this.fake.buckets.get(bucket)?.get(key);
    return value && (JSON.parse(new TextDecoder().decode(value)) as T);
  }

  kvPut(bucket: string, key: string, value: unknown): void {
    let b = this.fake.buckets.get(bucket);
    if (!b) this.fake.buckets.set(bucket, (b = new Map<string, Uint8Array>()));
    b.set(key, bytes(value));
  }

  /** Every bucket's keys and raw value bytes, sorted: comparable across runs. */
  snapshot(buckets: readonly string[]): Record<string, Record<string, string>> {
    const out: Record<string, Record<string, string>> = {};
    for (const name of buckets) {
      const entries = [...(this.fake.buckets.get(name) ?? new Map<string, Uint8Array>())].sort(([a], [b]) =>
        a < b ? -1 : 1,
      );
      out[name] = Object.fromEntries(entries.map(([k, v]) => [k, new TextDecoder().decode(v)]));
    }
    return out;
  }

  /** The live notifications published so far, decoded. */
  notifications(): { subject: string; payload: unknown }[] {
    return this.fake.published.map((p) => ({
      subject: p.subject,
      payload: JSON.parse(new TextDecoder().decode(p.payload)) as unknown,
    }));
  }
}

function counted(bucket: KvBucket, name: string, gets: Map<string, number>): KvBucket {
  return { ...bucket, get: (key) => (gets.set(name, (gets.get(name) ?? 0) + 1), bucket.get(key)) };
}

/** The real 0.x host's keys() fails on an empty bucket: nats.go's ErrNoKeysFound becomes a 500. */
function faithfulKeys(bucket: KvBucket): KvBucket {
  return {
    ...bucket,
    keys: () => {
      const keys = bucket.keys();
      return keys.length > 0 ? keys : hostThrow("Error: failed to resolve keys (500)");
    },
  };
}

export function functionFor(op: string): FunctionName {
  const group = op.includes(".") ? op.slice(0, op.indexOf(".")) : "";
  const byGroup: Record<string, FunctionName> = {
    events: "global-events",
    heartbeats: "global-heartbeats",
    my: "global-my",
    otc: "global-otc",
    catalogs: "global-catalogs",
    context: "global-context",
  };
  return byGroup[group] ?? "global-root";
}
