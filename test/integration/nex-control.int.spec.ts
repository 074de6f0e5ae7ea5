import type { NatsConnection } from "@nats-io/nats-core";
import { createAccount } from "@nats-io/nkeys";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auction, buildDeployRequest, controlRequest, NexControlError, nodeInfo, pingNode, pingNodes, stopWorkload, uploadArtifact, workloadPing, nexSubjects, type RunResponse } from "nex-node";
import { echoFunction } from "../fixtures/nex/scripts.ts";
import { startTestStack, type TestStack } from "../support/test-stack.ts";
import { NS, recordEvents, startNexOnStack, type NexTestNode } from "./nex-harness.ts";

const enc = new TextEncoder();
/** How long to listen before concluding that no node answers a scatter-gather request. */
const SILENCE_MS = 500;

describe("nex node: the 0.x control protocol", () => {
  let stack: TestStack;
  let nex: NexTestNode;
  let observer: NatsConnection;
  let nodeStarted: ReturnType<typeof recordEvents>;

  beforeAll(async () => {
    stack = await startTestStack();
    observer = await stack.connect("global", "observer");
    nodeStarted = recordEvents(observer, "node_started", "system");
    await observer.flush();
    nex = await startNexOnStack(stack, { config: { tags: { zone: "local" } } });
  });
  afterAll(() => stack?.stop());

  it("announces itself with node_started and answers $NEX.PING, $NEX.PING.<node> and $NEX.AUCTION in envelopes", async () => {
    const started = await nodeStarted.next((e) => e.source === nex.node.nodeId);
    expect(started.data).toMatchObject({ id: nex.node.nodeId });
    expect(nex.node.nodeId).toMatch(/^N[A-Z2-7]{55}$/);
    expect(nex.node.xkey).toMatch(/^X[A-Z2-7]{55}$/);

    const raw = JSON.parse(new TextDecoder().decode((await nex.nc.request(nexSubjects.ping(nex.node.nodeId))).data)) as Record<string, unknown>;
    expect(raw).toMatchObject({ type: "io.nats.nex.v1.ping_response", data: { node_id: nex.node.nodeId, target_xkey: nex.node.xkey } });
    expect(raw.error).toBeUndefined();

    expect((await pingNodes(nex.nc)).map((p) => p.node_id)).toEqual([nex.node.nodeId]);
    expect((await pingNode(nex.nc, nex.node.nodeId)).tags).toMatchObject({ zone: "local", "nex.unsafe": "true" });
    expect((await auction(nex.nc, { workload_types: ["v8"], tags: { zone: "local" } })).map((a) => a.node_id)).toEqual([nex.node.nodeId]);
    expect(await auction(nex.nc, { workload_types: ["wasm"] }, SILENCE_MS)).toEqual([]);
    expect(await auction(nex.nc, { workload_types: ["native"], tags: { zone: "elsewhere" } }, SILENCE_MS)).toEqual([]);
  });

  it("deploys, lists the workload in $NEX.INFO and $NEX.WPING, and stops it for its issuer only", async () => {
    const deployed = recordEvents(nex.nc, "workload_deployed");
    const undeployed = recordEvents(nex.nc, "workload_undeployed");
    const run = await nex.deploy("echofunctionjs", echoFunction, { type: "v8", triggerSubjects: ["ctl.echo"], description: "echo" });
    expect(run).toMatchObject({ name: "echofunctionjs", issuer: nex.issuer.getPublicKey(), started: true });
    expect((await deployed.next((e) => e.data.workload_id === run.id)).data).toMatchObject({ workload_name: "echofunctionjs", workload_type: "v8" });

    const info = await nodeInfo(nex.nc, NS, nex.node.nodeId);
    expect(info.public_xkey).toBe(nex.node.xkey);
    expect(info.supported_workload_types).toEqual(["native", "v8"]);
    expect(info.machines.map((m) => [m.id, m.workload.name, m.workload.type, m.workload.description])).toEqual([[run.id, "echofunctionjs", "v8", "echo"]]);
    expect((await nodeInfo(nex.nc, "elsewhere", nex.node.nodeId)).machines).toEqual([]);

    for (const target of [undefined, run.id, "echofunctionjs"]) {
      const pings = await workloadPing(nex.nc, NS, target);
      expect(pings.flatMap((p) => p.running_machines)).toEqual([{ id: run.id, namespace: NS, name: "echofunctionjs", type: "v8" }]);
    }
    expect(await workloadPing(nex.nc, NS, "nosuchworkload", SILENCE_MS)).toEqual([]);

    const stranger = createAccount();
    await expect(stopWorkload(nex.nc, { namespace: NS, nodeId: nex.node.nodeId, workloadId: run.id, issuer: stranger })).rejects.toThrow(
      /only entity allowed to terminate a workload is the issuer/,
    );
    expect(JSON.parse(await nex.request("ctl.echo", "still here"))).toEqual({ triggered_on: "ctl.echo", payload: "still here" });

    const stopped = await stopWorkload(nex.nc, { namespace: NS, nodeId: nex.node.nodeId, workloadId: run.id, issuer: nex.issuer });
    expect(stopped).toEqual({ id: run.id, issuer: nex.issuer.getPublicKey(), name: "echofunctionjs", stopped: true });
    await undeployed.next((e) => e.data.workload_id === run.id);
    await expect(nex.request("ctl.echo", "gone", 1_000)).rejects.toThrow(/no responders/i);
    expect((await nodeInfo(nex.nc, NS, nex.node.nodeId)).machines).toEqual([]);
  });

  it("accepts the plain-string location form and opens the sealed environment", async () => {
    const uploaded = await uploadArtifact(nex.nc, "plainlocation", enc.encode(echoFunction));
    const request = await buildDeployRequest({
      nodeId: nex.node.nodeId,
      nodeXkey: nex.node.xkey,
      issuer: nex.issuer,
      publisher: nex.publisher,
      name: "plainlocation",
      type: "v8",
      location: uploaded.location,
      hash: uploaded.hash,
      env: { SECRET: "sealed" },
      triggerSubjects: ["ctl.plain"],
    });
    expect(request.location).toMatchObject({ Scheme: "nats", Host: "NEXCLIFILES", Path: "/plainlocation" });
    expect(request.environment).not.toContain("sealed");
    const run = await controlRequest<RunResponse>(nex.nc, nexSubjects.deploy(NS, nex.node.nodeId), { ...request, location: uploaded.location });
    expect(run.started).toBe(true);
    expect(JSON.parse(await nex.request("ctl.plain", "x"))).toMatchObject({ triggered_on: "ctl.plain" });
  });

  describe("refusals, each answered with an envelope error", () => {
    const refusal = async (deploy: Promise<unknown>) => {
      const error = await deploy.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(NexControlError);
      return (error as Error).message;
    };

    it("refuses an artifact whose bytes do not match the signed hash", async () => {
      const uploaded = await uploadArtifact(nex.nc, "tampered", enc.encode(echoFunction));
      const tamperedHash = "0".repeat(64);
      const message = await refusal(
        nex.deploy("tampered", echoFunction + "\n// changed", { type: "v8", triggerSubjects: ["ctl.tampered"], hash: tamperedHash, location: uploaded.location }),
      );
      expect(message).toMatch(/artifact hash mismatch/);
    });

    it("refuses trigger subjects on the deny list", async () => {
      for (const subject of ["$JS.API.>", "$NEX.PING", "$SYS.>", ">"]) {
        expect(await refusal(nex.deploy("denied", echoFunction, { type: "v8", triggerSubjects: [subject] }))).toMatch(/overlaps with subject\(s\) in this node's deny list/);
      }
    });

    it("refuses a bad workload name, an unsupported type, a v8 without triggers and a native with triggers", async () => {
      expect(await refusal(nex.deploy("bad name!", echoFunction, { type: "v8", triggerSubjects: ["ctl.bad"] }))).toMatch(/invalid workload name/);
      expect(await refusal(nex.deploy("wasmy", echoFunction, { type: "wasm", triggerSubjects: ["ctl.w"] }))).toMatch(/Unsupported workload type on this node: wasm/);
      expect(await refusal(nex.deploy("notrigger", echoFunction, { type: "v8" }))).toMatch(/require at least one trigger subject/);
      expect(await refusal(nex.deploy("nativetrig", echoFunction, { type: "native", triggerSubjects: ["ctl.n"] }))).toMatch(
        /Unsupported workload type for trigger subject registration: native/,
      );
    });

    it("refuses a deploy for another node, and an issuer outside valid_issuers", async () => {
      const strict = await startNexOnStack(stack, { config: { valid_issuers: [createAccount().getPublicKey()] } });
      const message = await refusal(strict.deploy("strict", echoFunction, { type: "v8", triggerSubjects: ["ctl.strict"] }));
      expect(message).toMatch(new RegExp(`invalid workload issuer: ${strict.issuer.getPublicKey()}`));
      const misrouted = await buildDeployRequest({
        nodeId: strict.node.nodeId,
        nodeXkey: strict.node.xkey,
        issuer: nex.issuer,
        publisher: nex.publisher,
        name: "misrouted",
        type: "v8",
        location: "nats://NEXCLIFILES/strict",
        hash: "0".repeat(64),
        triggerSubjects: ["ctl.misrouted"],
      });
      expect(await refusal(controlRequest(nex.nc, nexSubjects.deploy(NS, nex.node.nodeId), misrouted))).toMatch(/targets node/);
    });
  });
});
