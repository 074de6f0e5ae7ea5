import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BUNDLE_BYTES, bundleFunction, loadHandler } from "../../bundle.ts";

const echoDir = fileURLToPath(new URL("..", import.meta.url));
const outDir = mkdtempSync(join(tmpdir(), "echo-bundle-"));
let source = "";

beforeAll(async () => {
  source = readFileSync((await bundleFunction(echoDir, outDir)).file, "utf8");
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe("echo bundle", () => {
  it("given the bundle in a fresh context, when triggered, then it replies like the Nex echo example", () => {
    const handler = loadHandler(source);
    const payload = new TextEncoder().encode("héllo 😀");
    expect(JSON.stringify(handler("fn.echo.x", payload))).toBe(
      JSON.stringify({ triggered_on: "fn.echo.x", payload: "héllo 😀" }),
    );
  });

  it("given the built file, then it fits Nex and ends with the completion expression", () => {
    expect(Buffer.byteLength(source)).toBeLessThan(MAX_BUNDLE_BYTES);
    expect(source.trimEnd().endsWith("__nex.default;")).toBe(true);
  });
});
