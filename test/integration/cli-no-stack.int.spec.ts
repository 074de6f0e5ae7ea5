import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseJson, runNatster } from "../support/cli-runner.ts";

describe("a home that does not know any stack", () => {
  const root = mkdtempSync(join(tmpdir(), "natster-no-stack-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("given no stack-client.json, when natster init runs, then it fails NOT_FOUND naming the file, to copy it from the stack's machine or to start a stack", async () => {
    const home = join(root, "home");
    const r = await runNatster(["--json", "init", "--name", "carol"], {
      NATSTER_HOME: home,
      NATSTER_STACK_DIR: join(root, "stack"),
    });
    expect(r.code).toBe(1);
    const { error } = parseJson<{ error: { code: string; message: string } }>(r);
    expect(error.code).toBe("NOT_FOUND");
    expect(error.message).toContain(`${join(home, "stack-client.json")} is missing`);
    expect(error.message).toContain("Copy the stack's stack-client.json there");
    expect(error.message).toContain("`natster up`");
  });
});
