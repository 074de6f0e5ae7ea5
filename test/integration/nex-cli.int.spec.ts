import { execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pingNodes } from "nex-node";
import { tsxCommand } from "@natster/node-kit";
import { echoFunction } from "../fixtures/nex/scripts.ts";
import { startTestStack, type TestStack } from "../support/test-stack.ts";
import { globalCredsPath, recordEvents, startNexOnStack, type NexTestNode } from "./nex-harness.ts";

const run = promisify(execFile);
const cli = tsxCommand("packages/nex-node/src/cli/main.ts");

describe("nex CLI", () => {
  let stack: TestStack;
  let nex: NexTestNode;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let globalFlags: string[];

  const nexCli = async <T>(...args: string[]): Promise<T> => {
    const { stdout } = await run(cli.command, [...cli.args, ...args, ...globalFlags, "--json"], {
      env,
      timeout: 30_000,
    });
    return JSON.parse(stdout) as T;
  };

  beforeAll(async () => {
    stack = await startTestStack();
    nex = await startNexOnStack(stack);
    dir = mkdtempSync(join(tmpdir(), "nex-cli-test-"));
    stack.defer(() => rmSync(dir, { recursive: true, force: true }));
    env = { ...process.env, NEX_HOME: join(dir, "nex-home"), NATS_URL: "", NEX_NAMESPACE: "" };
    globalFlags = ["-s", stack.url, "--creds", globalCredsPath(stack), "--namespace", "default"];
  });
  afterAll(() => stack?.stop());

  it("devruns a plain 0.x script as a v8 function that answers on its trigger subject, and replaces it on a second devrun", async () => {
    const file = join(dir, "echofunction.js");
    writeFileSync(file, echoFunction);
    type Devrun = { id: string; name: string; node_id: string; location: string; replaced: string[] };

    const first = await nexCli<Devrun>(
      "devrun",
      file,
      "--type",
      "v8",
      "--trigger_subject",
      "cli.echo",
      "--trigger_subject",
      "cli.other",
    );
    expect(first).toMatchObject({
      name: "echofunctionjs",
      node_id: nex.node.nodeId,
      location: "nats://NEXCLIFILES/echofunctionjs",
      replaced: [],
    });
    expect(readFileSync(join(dir, "nex-home", "issuer.nk"), "utf8")).toMatch(/^SA/);
    expect(readFileSync(join(dir, "nex-home", "publisher.xk"), "utf8")).toMatch(/^SX/);
    expect(JSON.parse(await nex.request("cli.echo", "hello"))).toEqual({ triggered_on: "cli.echo", payload: "hello" });
    expect(JSON.parse(await nex.request("cli.other", "too"))).toEqual({ triggered_on: "cli.other", payload: "too" });

    const second = await nexCli<Devrun>("devrun", file, "--type", "v8", "--trigger_subject", "cli.echo");
    expect(second.replaced).toEqual([first.id]);
    expect(nex.node.workloads().map((w) => w.id)).toEqual([second.id]);
    expect(JSON.parse(await nex.request("cli.echo", "again"))).toEqual({ triggered_on: "cli.echo", payload: "again" });

    const info = await nexCli<{ machines: { id: string }[] }>("node", "info", nex.node.nodeId);
    expect(info.machines.map((m) => m.id)).toEqual([second.id]);
    expect(await nexCli("stop", nex.node.nodeId, second.id)).toMatchObject({ id: second.id, stopped: true });
    expect(nex.node.workloads()).toEqual([]);
  });

  it("runs a node in the foreground with `node up` until SIGTERM", async () => {
    const configFile = join(dir, "node.json");
    writeFileSync(configFile, JSON.stringify({ workload_types: ["v8"], no_sandbox: true, tags: { role: "cli-test" } }));
    const stopped = recordEvents(nex.nc, "node_stopped", "system");
    const child = spawn(cli.command, [...cli.args, "node", "up", "--config", configFile, ...globalFlags, "--json"], {
      env,
      stdio: ["ignore", "pipe", "ignore"],
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    stack.defer(() => {
      if (child.exitCode === null) child.kill("SIGKILL");
    });
    const up = await new Promise<{ node_id: string; workload_types: string[] }>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.trimEnd().endsWith("}")) resolve(JSON.parse(out) as { node_id: string; workload_types: string[] });
      });
      child.once("exit", (code) => reject(new Error(`node up exited with ${code}`)));
    });
    expect(up.workload_types).toEqual(["v8"]);
    const nodes = await pingNodes(nex.nc);
    expect(nodes.map((n) => n.node_id).sort()).toEqual([nex.node.nodeId, up.node_id].sort());
    expect(nodes.find((n) => n.node_id === up.node_id)?.tags?.role).toBe("cli-test");

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect((await stopped.next((e) => e.source === up.node_id)).data).toEqual({ id: up.node_id, graceful: true });
  });
});
