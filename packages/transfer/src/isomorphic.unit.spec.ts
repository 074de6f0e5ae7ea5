import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const here = import.meta.dirname;

describe("browser safety", () => {
  it("given the sources outside src/node (specs excluded), then none imports node:*", () => {
    const offenders = readdirSync(here)
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".spec.ts"))
      .filter((f) => /from\s+["']node:/.test(readFileSync(join(here, f), "utf8")));
    expect(offenders).toEqual([]);
  });
});
