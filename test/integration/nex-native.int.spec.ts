import { parseCredsText } from "@natster/node-kit";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stopWorkload, type EmittedLog } from "nex-node";
import { crashesSoon, nativeEnvReporter } from "../fixtures/nex/scripts.ts";
import { startTestStack } from "../support/test-stack.ts";
import { NS, record, recordEvents, startNexOnStack } from "./nex-harness.ts";
import { suiteStack } from "../support/suite-stack.ts";

const dec = new TextDecoder();
const natsModule = createRequire(import.meta.url).resolve("@nats-io/transport-node");

type Report = { keys: string[]; greeting: string; argv: string[] };

describe("nex node: native workloads", () => {
  const suite = suiteStack(startTestStack, async (stack) => ({
    nex: await startNexOnStack(stack, {
      restartPolicy: { maxRestarts: 2, baseDelayMs: 50, maxDelayMs: 200, stableAfterMs: 60_000 },
    }),
  }));

  it("runs with only the Nex env, logs its stdout, and exits on the SIGINT of a stop", async () => {
    const ready = record(suite.nex.nc, "native.ready", (d) => JSON.parse(dec.decode(d)) as Report);
    const logs = record(suite.nex.nc, `$NEX.logs.${NS}.${suite.nex.node.nodeId}.*`, (d, subject) => ({
      ...(JSON.parse(dec.decode(d)) as EmittedLog),
      subject,
    }));
    const run = await suite.nex.deploy("envreporter", nativeEnvReporter(natsModule), {
      type: "native",
      env: { greeting: "hello", ready_subject: "native.ready", echo_subject: "native.echo" },
      argv: ["--flag", "two words"],
    });

    const report = await ready.next();
    expect(report.keys).toEqual([
      "ECHO_SUBJECT",
      "GREETING",
      "NEX_WORKLOAD_NATS_B64_JWT",
      "NEX_WORKLOAD_NATS_NKEY",
      "NEX_WORKLOAD_NATS_SERVERS",
      "READY_SUBJECT",
    ]);
    expect(report.greeting).toBe("hello");
    expect(report.argv).toEqual(["--flag", "two words"]);
    expect(await suite.nex.request("native.echo", "via the workload's own connection")).toBe(
      "via the workload's own connection",
    );
    const line = await logs.next((l) => l.text === "native workload ready");
    expect(line).toMatchObject({ id: run.id, level: 0, subject: `$NEX.logs.${NS}.${suite.nex.node.nodeId}.${run.id}` });

    await stopWorkload(suite.nex.nc, {
      namespace: NS,
      nodeId: suite.nex.node.nodeId,
      workloadId: run.id,
      issuer: suite.nex.issuer,
    });
    await logs.next((l) => l.text === "got SIGINT, draining");
    await expect(suite.nex.request("native.echo", "after stop", 1_000)).rejects.toThrow(/no responders/i);
  });

  it("runs a workload as the identity sealed in its environment; the request on $NEX.> carries no seed in clear", async () => {
    const hubCreds = dec.decode(readFileSync(join(suite.stack.dir, "creds", "hub.creds")));
    const { jwt, seed } = parseCredsText(hubCreds);
    const hub = await suite.stack.connect("hub", "nex-sealed-hub");
    const ready = record(hub, "native.sealed.ready", (d) => JSON.parse(dec.decode(d)) as Report);
    const onTheWire = record(suite.nex.nc, "$NEX.DEPLOY.>", (d) => dec.decode(d));
    const run = await suite.nex.deploy("sealedreporter", nativeEnvReporter(natsModule), {
      type: "native",
      env: { ready_subject: "native.sealed.ready", echo_subject: "native.sealed.echo" },
      hostServices: { nats_url: suite.stack.url, nats_user_jwt: jwt, nats_user_seed: seed },
    });

    // The ready message arrived in HUB: the workload connected as the sealed HUB user, not as the node's.
    const report = await ready.next();
    expect(report.keys).toContain("NEX_HOSTSERVICES_NATS_USER_SEED");
    const request = await onTheWire.next();
    expect(request).not.toContain(seed);
    expect(JSON.parse(request)).not.toHaveProperty("host_services_config");
    await stopWorkload(suite.nex.nc, {
      namespace: NS,
      nodeId: suite.nex.node.nodeId,
      workloadId: run.id,
      issuer: suite.nex.issuer,
    });
  });

  it("restarts an essential workload that crashes, with events, until its restarts run out", async () => {
    const restarted = recordEvents(suite.nex.nc, "workload_started");
    const exited = recordEvents(suite.nex.nc, "workload_stopped");
    const undeployed = recordEvents(suite.nex.nc, "workload_undeployed");
    const logs = record(
      suite.nex.nc,
      `$NEX.logs.${NS}.${suite.nex.node.nodeId}.*`,
      (d) => JSON.parse(dec.decode(d)) as EmittedLog,
    );
    const run = await suite.nex.deploy("crashy", crashesSoon, { type: "native", essential: true });

    expect(
      (await restarted.next((e) => e.data.workload_id === run.id && e.data.restarts === 1)).data.workload_name,
    ).toBe("crashy");
    await restarted.next((e) => e.data.workload_id === run.id && e.data.restarts === 2);
    expect((await exited.next((e) => e.data.workload_id === run.id)).data).toMatchObject({
      code: 3,
      message: "exited with code 3",
    });
    const gaveUp = await undeployed.next((e) => e.data.workload_id === run.id);
    expect(String(gaveUp.data.reason)).toMatch(/gave up after 2 restarts/);
    expect(logs.seen.filter((l) => l.id === run.id && l.text === "crashy started")).toHaveLength(3);
    expect(suite.nex.node.workloads().map((w) => w.id)).not.toContain(run.id);
  });
});
