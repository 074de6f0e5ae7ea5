import type { NatsConnection } from "@nats-io/nats-core";
import { Subjects } from "@natster/protocol";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { deployNexfile, type DeployTarget } from "../infra/deploy/deploy.ts";
import { loadNexfiles } from "../infra/deploy/nexfile.ts";
import { pingNodes, stopWorkload, workloadPing } from "nex-node";
import { stackCredsPath } from "@natster/identity";
import { stackDeployKeys } from "../infra/stack/deploy-keys.ts";
import { NEX_NAMESPACE, stackNodeConfig } from "../infra/stack/nex-component.ts";
import { spawnLogged, stopPid } from "../infra/stack/processes.ts";
import { repoRoot } from "@natster/node-kit";
import { onCleanup } from "./lib/cleanup.ts";
import { round } from "./lib/stats.ts";
import type { Bench, BenchContext, Measurement } from "./lib/types.ts";
import type { World } from "./lib/world.ts";

const FUNCTION = "global-root";
const dec = new TextDecoder();

/** A local Nex node as `natster up` runs it (`bin/nex node up`, its own process), tagged so it can be found. */
async function startNodeProcess(
  ctx: BenchContext,
  world: World,
  tag: string,
): Promise<{ nodeId: string; stop: () => Promise<void> }> {
  const dir = ctx.temp.dir(`nex-${tag}`);
  mkdirSync(join(dir, "home"), { recursive: true });
  const config = join(dir, "node.json");
  writeFileSync(config, JSON.stringify({ ...stackNodeConfig(), tags: { "natster.bench": tag } }));
  const pid = spawnLogged({
    command: join(repoRoot, "bin/nex"),
    args: [
      "-s",
      world.stack.url,
      "--creds",
      stackCredsPath(world.stack.dir, "global"),
      "node",
      "up",
      "--config",
      config,
    ],
    logPath: join(dir, "node.log"),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NEX_HOME: join(dir, "home") },
    detached: false,
  });
  const stop = onCleanup(`nex node ${tag}`, () => stopPid(pid));
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(200)) {
    const node = (await pingNodes(world.globalNc, 500).catch(() => [])).find((n) => n.tags?.["natster.bench"] === tag);
    if (node) return { nodeId: node.node_id, stop };
  }
  await stop();
  throw new Error(`the Nex node ${tag} did not answer $NEX.PING within 60 s (log: ${join(dir, "node.log")})`);
}

/** The function's workloads, by node. */
async function deployments(nc: NatsConnection): Promise<{ nodeId: string; workloadId: string }[]> {
  const pings = await workloadPing(nc, NEX_NAMESPACE, FUNCTION, 1000);
  return pings.flatMap((p) =>
    p.running_machines.filter((m) => m.name === FUNCTION).map((m) => ({ nodeId: p.node_id, workloadId: m.id })),
  );
}

/**
 * `requests` whoami calls, `concurrency` at a time, through the user's import; every one must be
 * answered 200 exactly once (a request takes the first reply; the count of replies is checked).
 */
async function load(
  nc: NatsConnection,
  requests: number,
  concurrency: number,
): Promise<{ perSecond: number; answered: number }> {
  let next = 0;
  let answered = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        next++;
        const reply = await nc.request(Subjects.global("whoami"), new Uint8Array(), { timeout: 10_000 });
        const envelope = JSON.parse(dec.decode(reply.data)) as { code: number; error?: string };
        if (envelope.code !== 200) throw new Error(`whoami answered ${envelope.code}: ${envelope.error ?? ""}`);
        answered++;
      }
    }),
  );
  return { perSecond: answered / ((performance.now() - started) / 1000), answered };
}

/**
 * fn.throughput_2_nodes_vs_1: whoami requests per second when `global-root` runs on one local Nex
 * node against two (the trigger's queue group splits the calls), same load. Both nodes are their
 * own processes, like `natster up` runs them; the stack's own in-process node hands its copy of the
 * function back for the measurement and gets it again after. Blocks go one, two, two, one.
 */
export const fnNodesBench: Bench = {
  name: "fn-nodes",
  keys: ["fn.throughput_2_nodes_vs_1"],
  async run(ctx: BenchContext): Promise<Measurement[]> {
    const world = await ctx.world();
    const nc = world.globalNc;
    const nexfile = loadNexfiles(join(repoRoot, "nexfiles")).find((n) => n.name === FUNCTION);
    if (!nexfile) throw new Error(`no Nexfile ${FUNCTION}`);
    const keys = stackDeployKeys(world.stack.dir);
    const target = (nodeId: string): DeployTarget => ({
      nc,
      nodeId,
      namespace: NEX_NAMESPACE,
      natsUrl: world.stack.url,
      ...keys,
      identities: {},
      vars: {},
    });
    const stopOn = async (nodeId: string) => {
      for (const d of (await deployments(nc)).filter((d) => d.nodeId === nodeId)) {
        const reply = await stopWorkload(nc, {
          namespace: NEX_NAMESPACE,
          nodeId,
          workloadId: d.workloadId,
          issuer: keys.issuer,
          timeout: 15_000,
        });
        if (!reply.stopped) throw new Error(`${nodeId} did not stop ${FUNCTION}`);
      }
    };
    const runningOn = async (count: number) => {
      const running = await deployments(nc);
      if (running.length !== count) throw new Error(`${FUNCTION} runs on ${running.length} node(s), wanted ${count}`);
    };

    const first = await startNodeProcess(ctx, world, "fn-node-1");
    const second = await startNodeProcess(ctx, world, "fn-node-2");
    await deployNexfile(target(first.nodeId), nexfile);
    await stopOn(world.stack.nodeId);
    try {
      const { fnNodesRequests: requests, fnNodesConcurrency: concurrency } = ctx.sizes;
      const user = world.owner.nc;
      await runningOn(1);
      await load(user, Math.min(200, requests), concurrency); // warm both sides up
      const one: number[] = [];
      const two: number[] = [];
      let answered = 0;
      const block = async (into: number[]) => {
        const r = await load(user, requests, concurrency);
        answered += r.answered;
        into.push(r.perSecond);
      };
      await block(one);
      await deployNexfile(target(second.nodeId), nexfile);
      await runningOn(2);
      await load(user, Math.min(200, requests), concurrency);
      await block(two);
      await block(two);
      await stopOn(second.nodeId);
      await runningOn(1);
      await block(one);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const oneRps = mean(one);
      const twoRps = mean(two);
      const sent = 4 * requests;
      ctx.log(
        `one node ${oneRps.toFixed(0)} req/s, two nodes ${twoRps.toFixed(0)} req/s; ${answered}/${sent} answered`,
      );
      return [
        {
          key: "fn.throughput_2_nodes_vs_1",
          value: round(twoRps, 1),
          unit: "req/s",
          baselineLabel: "the same load on one local Nex node",
          baseline: round(oneRps, 1),
          baselineUnit: "req/s",
          ratio: round(twoRps / oneRps),
          target: { kind: "report", note: "on a 2-core machine near 1; what matters is that nothing is lost" },
          samples: { value: two.map((x) => round(x, 1)), baseline: one.map((x) => round(x, 1)) },
          extra: { requests_per_block: requests, concurrency, sent, answered, lost: sent - answered },
          notes: [
            `natster.global.whoami from a user through its import → ${FUNCTION} on one or two \`bin/nex node up\` processes (queue group = the trigger subject) → KV PROJ_ACCOUNT through host services; blocks one, two, two, one node(s); every request answered 200 exactly once`,
          ],
        },
      ];
    } finally {
      await stopOn(first.nodeId).catch(() => undefined);
      await stopOn(second.nodeId).catch(() => undefined);
      await Promise.allSettled([first.stop(), second.stop()]);
      if ((await deployments(nc)).every((d) => d.nodeId !== world.stack.nodeId))
        await deployNexfile(target(world.stack.nodeId), nexfile);
    }
  },
};
