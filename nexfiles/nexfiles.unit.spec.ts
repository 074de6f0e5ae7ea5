import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadNexfiles, parseNexfile } from "../infra/deploy/nexfile.ts";
import { expectedNexfiles } from "./generate.ts";

describe("nexfiles/", () => {
  it("given the functions' and workloads' manifests, then every committed Nexfile matches what generate.ts writes", async () => {
    for (const [file, text] of await expectedNexfiles()) {
      expect(
        readFileSync(join(import.meta.dirname, file), "utf8"),
        `${file} is stale: run npx tsx nexfiles/generate.ts`,
      ).toBe(text);
    }
  });

  it("every Nexfile parses in the v1 shape", () => {
    const all = loadNexfiles(import.meta.dirname);
    expect(all.length).toBeGreaterThanOrEqual(12);
    for (const n of all) expect(n.start_request.uri).toBe(`nats://NEXCLIFILES/${n.name}`);
  });

  it("refuses a v8 function without triggers and a native workload with them", () => {
    const base = {
      name: "x",
      type: "v8",
      lifecycle: "function",
      start_request: { uri: "nats://NEXCLIFILES/x", artifact: "a.js" },
    };
    expect(() => parseNexfile("x", JSON.stringify(base))).toThrow(/trigger subject/);
    expect(() =>
      parseNexfile(
        "x",
        JSON.stringify({ ...base, type: "native", start_request: { ...base.start_request, trigger_subjects: ["a"] } }),
      ),
    ).toThrow(/native/);
    expect(() => parseNexfile("x", "name: bad name\ntype: v8\nlifecycle: function\nstart_request: {}")).toThrow(
      /must match/,
    );
  });

  it("refuses jetstream_triggers_env on a v8 function or when it is not an env variable name", () => {
    const native = {
      name: "x",
      type: "native",
      lifecycle: "service",
      start_request: { uri: "nats://NEXCLIFILES/x", artifact: "a.mjs" },
    };
    const fn = {
      ...native,
      type: "v8",
      lifecycle: "function",
      start_request: { ...native.start_request, trigger_subjects: ["a"] },
    };
    expect(
      parseNexfile(
        "x",
        JSON.stringify({ ...native, start_request: { ...native.start_request, jetstream_triggers_env: "FEED_1" } }),
      ).start_request.jetstream_triggers_env,
    ).toBe("FEED_1");
    expect(() =>
      parseNexfile(
        "x",
        JSON.stringify({ ...fn, start_request: { ...fn.start_request, jetstream_triggers_env: "FEED" } }),
      ),
    ).toThrow(/jetstream_triggers_env/);
    expect(() =>
      parseNexfile(
        "x",
        JSON.stringify({ ...native, start_request: { ...native.start_request, jetstream_triggers_env: "feed-1" } }),
      ),
    ).toThrow(/jetstream_triggers_env/);
  });

  it("given the committed Nexfiles, then exactly one takes the functions' JetStream triggers, in the variable its workload reads", () => {
    const bridges = loadNexfiles(import.meta.dirname).filter(
      (n) => n.start_request.jetstream_triggers_env !== undefined,
    );
    expect(bridges.map((n) => [n.type, n.start_request.jetstream_triggers_env])).toEqual([
      ["native", "NATSTER_BRIDGE_CONFIG"],
    ]);
  });
});
