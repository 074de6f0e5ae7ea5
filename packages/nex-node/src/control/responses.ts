import { NEX_VERSION } from "../limits.ts";
import type { RunningWorkload } from "../workloads.ts";
import type { AuctionRequest, InfoResponse, MachineSummary, PingResponse, WorkloadPingResponse } from "./types.ts";

export type NodeFacts = {
  nodeId: string;
  xkey: string;
  startedAt: Date;
  tags: Record<string, string>;
  workloadTypes: string[];
};

/** nats-server's uptime format, which 0.x reuses: `1d2h3m4s`. */
export function formatUptime(ms: number): string {
  const s = Math.floor(ms / 1000);
  const [d, h, m] = [Math.floor(s / 86400), Math.floor(s / 3600) % 24, Math.floor(s / 60) % 60];
  const parts = d > 0 ? [`${d}d`, `${h}h`, `${m}m`] : h > 0 ? [`${h}h`, `${m}m`] : m > 0 ? [`${m}m`] : [];
  return `${parts.join("")}${s % 60}s`;
}

export function pingResponse(node: NodeFacts, running: number, now = Date.now()): PingResponse {
  return {
    node_id: node.nodeId,
    version: NEX_VERSION,
    uptime: formatUptime(now - node.startedAt.getTime()),
    target_xkey: node.xkey,
    tags: node.tags,
    running_machines: running,
  };
}

export function machineSummary(w: RunningWorkload, now = Date.now()): MachineSummary {
  const uptime = formatUptime(now - w.startedAt.getTime());
  return {
    id: w.id,
    healthy: true,
    uptime,
    namespace: w.namespace,
    workload: {
      id: w.id,
      name: w.name,
      description: w.description,
      essential: w.essential,
      hash: w.hash,
      runtime: uptime,
      uptime,
      type: w.type,
    },
  };
}

export function infoResponse(node: NodeFacts, workloads: RunningWorkload[], now = Date.now()): InfoResponse {
  return {
    available_agents: 0,
    machines: workloads.map((w) => machineSummary(w, now)),
    public_xkey: node.xkey,
    supported_workload_types: node.workloadTypes,
    tags: node.tags,
    uptime: formatUptime(now - node.startedAt.getTime()),
    version: NEX_VERSION,
  };
}

export function workloadPingResponse(
  node: NodeFacts,
  workloads: RunningWorkload[],
  now = Date.now(),
): WorkloadPingResponse {
  return {
    ...pingResponse(node, workloads.length, now),
    running_machines: workloads.map((w) => ({ id: w.id, namespace: w.namespace, name: w.name, type: w.type })),
  };
}

/** A node bids only when it can run every requested type and matches os, arch and every tag (unsandboxed only). */
export function auctionAccepts(req: AuctionRequest, node: NodeFacts): boolean {
  if (req.sandboxed === true) return false;
  if (req.os && req.os !== node.tags["nex.os"]) return false;
  if (req.arch && req.arch !== node.tags["nex.arch"]) return false;
  if (!(req.workload_types ?? []).every((t) => node.workloadTypes.includes(t))) return false;
  return Object.entries(req.tags ?? {}).every(([k, v]) => node.tags[k] === v);
}
