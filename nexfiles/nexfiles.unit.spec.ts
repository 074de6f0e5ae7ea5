import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadNexfiles, parseNexfile } from "../infra/deploy/nexfile.ts";
import { expectedNexfiles } from "./generate.ts";

describe("nexfiles/", () => {
  it("given the functions' triggers, then every committed Nexfile matches what generate.ts writes", async () => {
    for (const [file, text] of await expectedNexfiles()) {
      expect(readFileSync(join(import.meta.dirname, file), "utf8"), `${file} is stale: run npx tsx nexfiles/generate.ts`).toBe(text);
    }
  });

  it("every Nexfile parses in the v1 shape", () => {
    const all = loadNexfiles(import.meta.dirname);
    expect(all.length).toBeGreaterThanOrEqual(12);
    for (const n of all) expect(n.start_request.uri).toBe(`nats://NEXCLIFILES/${n.name}`);
  });

  it("refuses a v8 function without triggers and a native workload with them", () => {
    const base = { name: "x", type: "v8", lifecycle: "function", start_request: { uri: "nats://NEXCLIFILES/x", artifact: "a.js" } };
    expect(() => parseNexfile("x", JSON.stringify(base))).toThrow(/trigger subject/);
    expect(() =>
      parseNexfile("x", JSON.stringify({ ...base, type: "native", start_request: { ...base.start_request, trigger_subjects: ["a"] } })),
    ).toThrow(/native/);
    expect(() => parseNexfile("x", "name: bad name\ntype: v8\nlifecycle: function\nstart_request: {}")).toThrow(/must match/);
  });
});
