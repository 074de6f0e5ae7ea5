import { createAccount } from "@nats-io/nkeys";
import { describe, expect, it } from "vitest";
import {
  auction,
  buildDeployRequest,
  controlRequest,
  NexControlError,
  nodeInfo,
  pingNode,
  pingNodes,
  stopWorkload,
  uploadArtifact,
  workloadPing,
  nexSubjects,
  type RunResponse,
} from "nex-node";
import { echoFunction } from "../fixtures/nex/scripts.ts";
import { startTestStack } from "../support/test-stack.ts";
import { NS, recordEvents, startNexOnStack } from "./nex-harness.ts";
import { suiteStack } from "../support/suite-stack.ts";

const enc = new TextEncoder();
/** How long to listen before concluding that no node answers a scatter-gather request. */
const SILENCE_MS = 500;

describe("nex node: the 0.x control protocol", () => {
  const suite = suiteStack(startTestStack, async (stack) => {
    const observer = await stack.connect("global", "observer");
    const nodeStarted = recordEvents(observer, "node_started", "system");
    await observer.flush();
    return { observer, nodeStarted, nex: await startNexOnStack(stack, { config: { tags: { zone: "local" } } }) };
  });

  it("announces itself with node_started and answers $NEX.PING, $NEX.PING.<node> and $NEX.AUCTION in envelopes", async () => {
    const started = await suite.nodeStarted.next((e) => e.source === suite.nex.node.nodeId);
    expect(started.data).toMatchObject({ id: suite.nex.node.nodeId });
    expect(suite.nex.node.nodeId).toMatch(/^N[A-Z2-7]{55}$/);
    expect(suite.nex.node.xkey).toMatch(/^X[A-Z2-7]{55}$/);

    const raw = JSON.parse(
      new TextDecoder().decode((await suite.nex.nc.request(nexSubjects.ping(suite.nex.node.nodeId))).data),
    ) as Record<string, unknown>;
    expect(raw).toMatchObject({
      type: "io.nats.nex.v1.ping_response",
      data: { node_id: suite.nex.node.nodeId, target_xkey: suite.nex.node.xkey },
    });
    expect(raw.error).toBeUndefined();

    expect((await pingNodes(suite.nex.nc)).map((p) => p.node_id)).toEqual([suite.nex.node.nodeId]);
    expect((await pingNode(suite.nex.nc, suite.nex.node.nodeId)).tags).toMatchObject({
      zone: "local",
      "nex.unsafe": "true",
    });
    expect(
      (await auction(suite.nex.nc, { workload_types: ["v8"], tags: { zone: "local" } })).map((a) => a.node_id),
    ).toEqual([suite.nex.node.nodeId]);
    expect(await auction(suite.nex.nc, { workload_types: ["wasm"] }, SILENCE_MS)).toEqual([]);
    expect(
      await auction(suite.nex.nc, { workload_types: ["native"], tags: { zone: "elsewhere" } }, SILENCE_MS),
    ).toEqual([]);
  });

  it("deploys, lists the workload in $NEX.INFO and $NEX.WPING, and stops it for its issuer only", async () => {
    const deployed = recordEvents(suite.nex.nc, "workload_deployed");
    const undeployed = recordEvents(suite.nex.nc, "workload_undeployed");
    const run = await suite.nex.deploy("echofunctionjs", echoFunction, {
      type: "v8",
      triggerSubjects: ["ctl.echo"],
      description: "echo",
    });
    expect(run).toMatchObject({ name: "echofunctionjs", issuer: suite.nex.issuer.getPublicKey(), started: true });
    expect((await deployed.next((e) => e.data.workload_id === run.id)).data).toMatchObject({
      workload_name: "echofunctionjs",
      workload_type: "v8",
    });

    const info = await nodeInfo(suite.nex.nc, NS, suite.nex.node.nodeId);
    expect(info.public_xkey).toBe(suite.nex.node.xkey);
    expect(info.supported_workload_types).toEqual(["native", "v8"]);
    expect(info.machines.map((m) => [m.id, m.workload.name, m.workload.type, m.workload.description])).toEqual([
      [run.id, "echofunctionjs", "v8", "echo"],
    ]);
    expect((await nodeInfo(suite.nex.nc, "elsewhere", suite.nex.node.nodeId)).machines).toEqual([]);

    for (const target of [undefined, run.id, "echofunctionjs"]) {
      const pings = await workloadPing(suite.nex.nc, NS, target);
      expect(pings.flatMap((p) => p.running_machines)).toEqual([
        { id: run.id, namespace: NS, name: "echofunctionjs", type: "v8" },
      ]);
    }
    expect(await workloadPing(suite.nex.nc, NS, "nosuchworkload", SILENCE_MS)).toEqual([]);

    const stranger = createAccount();
    await expect(
      stopWorkload(suite.nex.nc, {
        namespace: NS,
        nodeId: suite.nex.node.nodeId,
        workloadId: run.id,
        issuer: stranger,
      }),
    ).rejects.toThrow(/only entity allowed to terminate a workload is the issuer/);
    expect(JSON.parse(await suite.nex.request("ctl.echo", "still here"))).toEqual({
      triggered_on: "ctl.echo",
      payload: "still here",
    });

    const stopped = await stopWorkload(suite.nex.nc, {
      namespace: NS,
      nodeId: suite.nex.node.nodeId,
      workloadId: run.id,
      issuer: suite.nex.issuer,
    });
    expect(stopped).toEqual({
      id: run.id,
      issuer: suite.nex.issuer.getPublicKey(),
      name: "echofunctionjs",
      stopped: true,
    });
    await undeployed.next((e) => e.data.workload_id === run.id);
    await expect(suite.nex.request("ctl.echo", "gone", 1_000)).rejects.toThrow(/no responders/i);
    expect((await nodeInfo(suite.nex.nc, NS, suite.nex.node.nodeId)).machines).toEqual([]);
  });

  it("accepts the plain-string location form and opens the sealed environment", async () => {
    const uploaded = await uploadArtifact(suite.nex.nc, "plainlocation", enc.encode(echoFunction));
    const request = await buildDeployRequest({
      nodeId: suite.nex.node.nodeId,
      nodeXkey: suite.nex.node.xkey,
      issuer: suite.nex.issuer,
      publisher: suite.nex.publisher,
      name: "plainlocation",
      type: "v8",
      location: uploaded.location,
      hash: uploaded.hash,
      env: { SECRET: "sealed" },
      triggerSubjects: ["ctl.plain"],
    });
    expect(request.location).toMatchObject({ Scheme: "nats", Host: "NEXCLIFILES", Path: "/plainlocation" });
    expect(request.environment).not.toContain("sealed");
    const run = await controlRequest<RunResponse>(suite.nex.nc, nexSubjects.deploy(NS, suite.nex.node.nodeId), {
      ...request,
      location: uploaded.location,
    });
    expect(run.started).toBe(true);
    expect(JSON.parse(await suite.nex.request("ctl.plain", "x"))).toMatchObject({ triggered_on: "ctl.plain" });
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
      const uploaded = await uploadArtifact(suite.nex.nc, "tampered", enc.encode(echoFunction));
      const tamperedHash = "0".repeat(64);
      const message = await refusal(
        suite.nex.deploy("tampered", echoFunction + "\n// changed", {
          type: "v8",
          triggerSubjects: ["ctl.tampered"],
          hash: tamperedHash,
          location: uploaded.location,
        }),
      );
      expect(message).toMatch(/artifact hash mismatch/);
    });

    it("refuses trigger subjects on the deny list", async () => {
      for (const subject of ["$JS.API.>", "$NEX.PING", "$SYS.>", ">"]) {
        expect(
          await refusal(suite.nex.deploy("denied", echoFunction, { type: "v8", triggerSubjects: [subject] })),
        ).toMatch(/overlaps with subject\(s\) in this node's deny list/);
      }
    });

    it("refuses a bad workload name, an unsupported type, a v8 without triggers and a native with triggers", async () => {
      expect(
        await refusal(suite.nex.deploy("bad name!", echoFunction, { type: "v8", triggerSubjects: ["ctl.bad"] })),
      ).toMatch(/invalid workload name/);
      expect(
        await refusal(suite.nex.deploy("wasmy", echoFunction, { type: "wasm", triggerSubjects: ["ctl.w"] })),
      ).toMatch(/Unsupported workload type on this node: wasm/);
      expect(await refusal(suite.nex.deploy("notrigger", echoFunction, { type: "v8" }))).toMatch(
        /require at least one trigger subject/,
      );
      expect(
        await refusal(suite.nex.deploy("nativetrig", echoFunction, { type: "native", triggerSubjects: ["ctl.n"] })),
      ).toMatch(/Unsupported workload type for trigger subject registration: native/);
    });

    it("refuses a deploy for another node, and an issuer outside valid_issuers", async () => {
      const strict = await startNexOnStack(suite.stack, {
        config: { valid_issuers: [createAccount().getPublicKey()] },
      });
      const message = await refusal(
        strict.deploy("strict", echoFunction, { type: "v8", triggerSubjects: ["ctl.strict"] }),
      );
      expect(message).toMatch(new RegExp(`invalid workload issuer: ${strict.issuer.getPublicKey()}`));
      const misrouted = await buildDeployRequest({
        nodeId: strict.node.nodeId,
        nodeXkey: strict.node.xkey,
        issuer: suite.nex.issuer,
        publisher: suite.nex.publisher,
        name: "misrouted",
        type: "v8",
        location: "nats://NEXCLIFILES/strict",
        hash: "0".repeat(64),
        triggerSubjects: ["ctl.misrouted"],
      });
      expect(
        await refusal(controlRequest(suite.nex.nc, nexSubjects.deploy(NS, suite.nex.node.nodeId), misrouted)),
      ).toMatch(/targets node/);
    });
  });
});
