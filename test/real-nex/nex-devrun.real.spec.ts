/**
 * The real Nex 0.3.0-rc1 CLI (`nex devrun`, built by scripts/setup.sh) deploys a function bundle, on a real
 * Nex node and on the local node alike, exactly as the README shows.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAccount } from "@nats-io/nkeys";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildAllFunctions } from "../../functions/bundle.ts";
import { realNexBinaries } from "../../infra/stack/real-nex-component.ts";
import { repoRoot } from "@natster/node-kit";
import { until } from "@natster/test-kit";
import { NEX_KINDS, startTestNexNode, type NexKind, type TestNexNode } from "../support/nex-nodes.ts";
import { startTestStack, type TestStack } from "../support/test-stack.ts";

type Run = { code: number; out: string };

function nexCli(args: string[], home: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      realNexBinaries().nex,
      args,
      { env: { PATH: "/usr/bin:/bin", HOME: home }, timeout: 120_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, out: `${stdout}${stderr}` });
      },
    );
  });
}

describe.each(NEX_KINDS)("the real `nex devrun` against the %s node", (kind: NexKind) => {
  let stack: TestStack;
  let node: TestNexNode;
  const bundle = join(repoRoot, "functions/echo/dist/echo.js");
  // devrun signs with ~/.nex/issuer.nk; the node takes deploys from that issuer only.
  const issuer = createAccount();

  beforeAll(async () => {
    const report = await buildAllFunctions(join(repoRoot, "functions"));
    if (report.failed.length > 0) throw new Error(report.failed.map((f) => f.message).join("; "));
    stack = await startTestStack();
    node = await startTestNexNode(stack, kind, issuer);
  }, 180_000);
  afterAll(() => stack?.stop(), 60_000);

  it("deploys the echo bundle as a v8 function that answers on its trigger subject", { timeout: 180_000 }, async () => {
    const home = mkdtempSync(join(tmpdir(), "natster-devrun-"));
    try {
      mkdirSync(join(home, ".nex"));
      writeFileSync(join(home, ".nex", "issuer.nk"), issuer.getSeed(), { mode: 0o600 });
      const creds = join(stack.dir, "creds", "global.creds");
      const run = await nexCli(
        ["-s", stack.url, "--creds", creds, "devrun", bundle, "--type", "v8", "--trigger_subject", "devrun.echo.>"],
        home,
      );
      // devrun exits 0 even when the node refuses the deploy, so its output is checked too.
      expect(run.code, run.out).toBe(0);
      expect(run.out).not.toMatch(/level=ERROR|failed to devrun/);
      // devrun returns once the node has accepted the deploy; the real node subscribes the function's
      // trigger after that, so until then a request finds no responders (it throws, and is tried again).
      const reply = await until(
        () => node.request("devrun.echo.hello", new TextEncoder().encode("hi from devrun")),
        "the deployed echo function to answer on devrun.echo.hello",
        60_000,
      );
      expect(reply).toEqual({ reply: '{"triggered_on":"devrun.echo.hello","payload":"hi from devrun"}' });
    } finally {
      // The home holds the issuer seed devrun signs with.
      rmSync(home, { recursive: true, force: true });
    }
  });
});
