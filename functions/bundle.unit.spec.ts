import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import {
  MAX_BUNDLE_BYTES,
  FunctionBuildError,
  buildAllFunctions,
  bundleFunction,
  functionDirs,
  validateBundle,
} from "./bundle.ts";

const scratch = mkdtempSync(join(tmpdir(), "fn-bundle-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function writeFn(root: string, name: string, source: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(join(dir, "src", "index.ts"), source);
  return dir;
}

function failureOf(run: () => unknown): FunctionBuildError {
  try {
    run();
  } catch (e) {
    if (e instanceof FunctionBuildError) return e;
    throw e;
  }
  throw new Error("expected a FunctionBuildError");
}

describe("validateBundle", () => {
  it("given a valid function script over 12,288 bytes, when validated, then the size gate names the function", () => {
    const source = `/*${"x".repeat(MAX_BUNDLE_BYTES)}*/(subject, payload) => null;`;
    const e = failureOf(() => validateBundle(source, "big"));
    expect(e.reason).toBe("size");
    expect(e.message).toMatch(/^function "big": bundle is \d+ bytes, over the Nex limit of 12288$/);
  });

  it("given a script of exactly 12,288 bytes, when validated, then it passes", () => {
    const tail = "(s, p) => null;";
    const source = `/*${"x".repeat(MAX_BUNDLE_BYTES - tail.length - 4)}*/${tail}`;
    expect(validateBundle(source, "edge")).toBe(MAX_BUNDLE_BYTES);
  });

  it.each([
    ["export", "export default (s, p) => null;"],
    ["import", 'import x from "y";\nx;'],
  ])("given a module with top-level %s, when validated, then the classic-script gate fails", (_kind, source) => {
    const e = failureOf(() => validateBundle(source, "esm"));
    expect(e.reason).toBe("not-classic-script");
    expect(e.message).toContain('function "esm": not a classic script');
  });

  it.each([
    ["a number", "42;"],
    ["nothing", "var x = 1;"],
    ["an object", "({ handler: () => 1 });"],
  ])("given a script evaluating to %s, when validated, then the function gate fails", (_kind, source) => {
    const e = failureOf(() => validateBundle(source, "nofn"));
    expect(e.reason).toBe("not-a-function");
    expect(e.message).toMatch(/^function "nofn": the script evaluates to \w+, not a function$/);
  });

  it("given a script using a host global at top level, when validated in an empty context, then it fails", () => {
    const e = failureOf(() => validateBundle('kv("b").keys(); (s, p) => 1;', "eager"));
    expect(e.reason).toBe("not-a-function");
    expect(e.message).toContain("evaluating the bundle threw");
  });
});

describe("bundleFunction", () => {
  it("given functions/echo, when bundled, then a small classic script evaluating to a function is written", async () => {
    const echoDir = fileURLToPath(new URL("./echo", import.meta.url));
    const built = await bundleFunction(echoDir, join(scratch, "echo-out"));
    expect(built.name).toBe("echo");
    expect(built.file).toBe(join(scratch, "echo-out", "echo.js"));
    expect(built.bytes).toBe(statSync(built.file).size);
    expect(built.bytes).toBeLessThan(2048);
    expect(validateBundle(readFileSync(built.file, "utf8"), "echo")).toBe(built.bytes);
  });

  it("given a function over the limit, when bundled, then it fails and leaves no stale output", async () => {
    const dir = writeFn(scratch, "huge", `export default () => ${JSON.stringify("x".repeat(13_000))};\n`);
    const out = join(dir, "dist");
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, "huge.js"), "(s, p) => 'stale';");
    await expect(bundleFunction(dir)).rejects.toMatchObject({ fn: "huge", reason: "size" });
    expect(() => statSync(join(out, "huge.js"))).toThrow();
  });

  it("given a function that does not compile, when bundled, then esbuild's error names the function", async () => {
    const dir = writeFn(scratch, "broken", 'import { nope } from "./missing.ts";\nexport default () => nope;\n');
    await expect(bundleFunction(dir)).rejects.toThrow(/^function "broken": esbuild failed: .*missing\.ts/);
  });
});

describe("functionDirs", () => {
  it("given a functions root, when listed, then only folders with src/index.ts not starting with _ are kept", () => {
    const root = join(scratch, "root");
    writeFn(root, "b-fn", "export default () => 1;");
    writeFn(root, "a-fn", "export default () => 1;");
    writeFn(root, "_shared", "export const x = 1;");
    mkdirSync(join(root, "no-src"), { recursive: true });
    writeFileSync(join(root, "README.md"), "# not a function");
    expect(functionDirs(root)).toEqual([join(root, "a-fn"), join(root, "b-fn")]);
  });
});

describe("buildAllFunctions", () => {
  it("given one good and one oversized function, when built, then both are reported and the good one is written", async () => {
    const root = join(scratch, "all");
    writeFn(root, "ok", "export default (subject: string) => ({ subject });\n");
    writeFn(root, "fat", `export default () => ${JSON.stringify("y".repeat(13_000))};\n`);
    const { built, failed } = await buildAllFunctions(root);
    expect(built.map((b) => b.name)).toEqual(["ok"]);
    expect(statSync(join(root, "ok", "dist", "ok.js")).size).toBe(built[0]?.bytes);
    expect(failed.map((f) => [f.fn, f.reason])).toEqual([["fat", "size"]]);
  });
});
