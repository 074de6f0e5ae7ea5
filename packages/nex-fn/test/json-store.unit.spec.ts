import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { kvJson, objJson, parseHostError, publishJson, requestJson, text, utf8 } from "../src/index.ts";
import { hostThrow, installNex03 } from "./fake-host.ts";
import type { FakeHost } from "./fake-host.ts";

let fake: FakeHost;
beforeEach(() => (fake = installNex03()));
afterEach(() => fake.restore());

const doc = { title: "Amélie", jp: "日本", emoji: "🎬" };

describe("kvJson", () => {
  it("given a missing key, when read, then undefined (the host's 500 throw is caught)", () => {
    expect(kvJson("b").get("nope")).toBeUndefined();
  });

  it("given a non-ASCII value, when put through the lossy host and read back, then it is intact", () => {
    kvJson("b").put("k", doc);
    expect(kvJson("b").get<typeof doc>("k")).toEqual(doc);
    expect(Array.from(fake.buckets.get("b")?.get("k") ?? []).every((b) => b < 0x80)).toBe(true);
  });

  it("given keys, when listed and deleted, then the bucket follows", () => {
    const kv = kvJson("b");
    kv.put("a", 1);
    kv.put("b", 2);
    expect(kv.keys().sort()).toEqual(["a", "b"]);
    kv.del("a");
    expect(kv.get("a")).toBeUndefined();
    expect(kv.keys()).toEqual(["b"]);
  });

  it("given another host failure, when read, then it propagates as the host threw it", () => {
    (globalThis as { kv?: unknown }).kv = () => ({ get: () => hostThrow("Error: nats: timeout (500)") });
    let thrown: unknown;
    try {
      kvJson("b").get("k");
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBe("Error: nats: timeout (500)");
    expect(parseHostError(thrown)).toMatchObject({ code: 500, message: "nats: timeout" });
  });

  it("given a stored value that is not JSON, when read, then the parse error propagates", () => {
    host03Set("b", "k", utf8("not json"));
    expect(() => kvJson("b").get("k")).toThrow(SyntaxError);
  });
});

function host03Set(bucket: string, key: string, value: Uint8Array): void {
  const b = fake.buckets.get(bucket) ?? new Map<string, Uint8Array>();
  b.set(key, value);
  fake.buckets.set(bucket, b);
}

describe("objJson", () => {
  it("given a missing object, when read, then undefined (the host's 404 throw is caught)", () => {
    expect(objJson("o").get("nope")).toBeUndefined();
  });

  it("given a document, when put, then ObjectInfo comes back and the document reads back intact", () => {
    const info = objJson("o").put("doc", doc);
    expect(info).toMatchObject({ name: "doc", bucket: "o", chunks: 1 });
    expect(objJson("o").get("doc")).toEqual(doc);
    expect(
      objJson("o")
        .list()
        .map((i) => i.name),
    ).toEqual(["doc"]);
    objJson("o").del("doc");
    expect(objJson("o").get("doc")).toBeUndefined();
  });
});

describe("publishJson and requestJson", () => {
  it("given a value, when published, then the subject gets ASCII-safe JSON", () => {
    publishJson("evt.x", doc);
    const [msg] = fake.published;
    expect(msg?.subject).toBe("evt.x");
    expect(JSON.parse(text(msg?.payload ?? []))).toEqual(doc);
  });

  it("given a responder, when requested, then the parsed reply comes back", () => {
    fake.responder = (subject, payload) => utf8(JSON.stringify({ subject, got: JSON.parse(text(payload)) as unknown }));
    expect(requestJson("svc.a", doc)).toEqual({ subject: "svc.a", got: doc });
  });
});
