import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readContextImports, saveContextImports } from "./context-imports.ts";

function withHome(run: (home: string) => Promise<void>) {
  const home = mkdtempSync(join(tmpdir(), "natster-imports-"));
  return run(home).finally(() => rmSync(home, { recursive: true, force: true }));
}

describe("context imports", () => {
  it("given a missing, broken or import-less context file, then there are no imports", () =>
    withHome(async (home) => {
      expect(await readContextImports(home, "default")).toEqual([]);
      writeFileSync(join(home, "broken.context"), "{");
      expect(await readContextImports(home, "broken")).toEqual([]);
      writeFileSync(join(home, "old.context"), JSON.stringify({ account_public_key: "A-ME" }));
      expect(await readContextImports(home, "old")).toEqual([]);
      writeFileSync(
        join(home, "new.context"),
        JSON.stringify({ imports: [{ catalog: "pics", from: "A-FRIEND" }, { catalog: 5 }] }),
      );
      expect(await readContextImports(home, "new")).toEqual([{ catalog: "pics", from: "A-FRIEND" }]);
    }));

  it("given a context, when imports are saved, then they replace the old ones and the rest stays", () =>
    withHome(async (home) => {
      writeFileSync(join(home, "default.context"), JSON.stringify({ account_public_key: "A-ME", imports: [] }));
      await saveContextImports(home, "default", [{ catalog: "pics", from: "A-FRIEND" }]);
      expect(JSON.parse(readFileSync(join(home, "default.context"), "utf8"))).toEqual({
        account_public_key: "A-ME",
        imports: [{ catalog: "pics", from: "A-FRIEND" }],
      });
    }));
});
