import { createCurve, createServer, fromCurveSeed, fromSeed, type KeyPair } from "@nats-io/nkeys";
import { arch, cpus, platform } from "node:os";

const enc = new TextEncoder();

/** A node is a server nkey (`N…`, its id) plus a curve xkey (`X…`) that deployers seal environments to. */
export type NodeKeys = { node: KeyPair; xkey: KeyPair };

export function nodeKeys(seeds: { nodeSeed?: string; xkeySeed?: string } = {}): NodeKeys {
  const node = seeds.nodeSeed ? fromSeed(enc.encode(seeds.nodeSeed)) : createServer();
  if (!node.getPublicKey().startsWith("N")) throw new Error("the node seed must be a server nkey (SN…)");
  return { node, xkey: seeds.xkeySeed ? fromCurveSeed(enc.encode(seeds.xkeySeed)) : createCurve() };
}

/** Go names for this machine, as 0.x tags nodes (`nex.os`, `nex.arch`, `nex.cpucount`, `nex.unsafe`). */
export function systemTags(): Record<string, string> {
  const goArch: Record<string, string> = { x64: "amd64", ia32: "386", arm64: "arm64", arm: "arm" };
  return {
    "nex.os": platform(),
    "nex.arch": goArch[arch()] ?? arch(),
    "nex.cpucount": String(cpus().length),
    "nex.unsafe": "true",
  };
}
