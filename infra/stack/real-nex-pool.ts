import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { REAL_NEX_POOL_SIZE } from "./real-nex-component.ts";
import { StackError } from "./stack-error.ts";

/**
 * Real Nex 0.3.0-rc1 (no sandbox) keeps `machine_pool_size` nex-agents warm and hands a deploy to a
 * random one of them, handshaken or not, with only ~1 s of retries. What the node says of its pool is
 * in its debug log alone, so before each deploy we read it:
 *
 * - A young agent (spawned, no handshake yet) is not listening: a deploy handed to it fails.
 * - An agent can give up at once: it asks for its handshake four times within ≈ 0.1 s of connecting
 *   and exits ("Failed to initialize agent") when the node has not subscribed for it yet. The node
 *   subscribes only once it holds its pool lock, which it keeps through a whole deploy, so an agent
 *   spawned to refill the pool during a slow deploy dies. The node still hands deploys to a dead agent
 *   until `agent_handshake_timeout_ms` drops it ("Did not receive NATS handshake"); every such deploy
 *   fails after ≈ 1.1 s with the lock held, which kills the next replacement too.
 * - The node spawns replacements only when a deploy takes an agent, so once every agent it holds is
 *   dead and dropped, it can take no deploy again.
 *
 * So a deploy waits until the pool is refilled, no agent is young, every dead agent has been dropped,
 * and at least one handshaken agent is free; a pool with none left is exhausted (the stack restarts
 * the node).
 */
export type PoolState = {
  /** Agents in the warm pool: spawned, less those a deploy took (dropped ones still hold their place). */
  inPool: number;
  /** Handshaken agents no deploy took yet: where the next deploy can go. */
  live: string[];
  /** Agents that have neither handshaken nor given up yet. */
  young: string[];
  /** Agents that gave up but that the node has not dropped yet: a deploy handed to one fails. */
  dead: string[];
};

export type PoolReadiness = "ready" | "wait" | "exhausted";

const field = (line: string, key: string) => new RegExp(`\\b${key}=([0-9a-f-]{36})`).exec(line)?.[1];

/** Reads the node's log (text handler, debug level) into its warm pool's agents. */
export function poolState(logText: string): PoolState {
  const spawned: string[] = [];
  const handshaken = new Set<string>();
  const gaveUp = new Set<string>();
  const gone = new Set<string>();
  let taken = 0;
  for (const line of logText.split("\n")) {
    if (line.includes('msg="Adding new agent process to warm pool"')) {
      const id = field(line, "workload_id");
      if (id) spawned.push(id);
    } else if (line.includes('msg="Received agent handshake"')) {
      const id = field(line, "agent_id");
      if (id) handshaken.add(id);
    } else if (line.includes('msg="Failed to initialize agent')) {
      const id = field(line, "workload_id");
      if (id) gaveUp.add(id);
    } else if (line.includes("Did not receive NATS handshake")) {
      const id = field(line, "workload_id");
      if (id) gone.add(id);
    } else if (line.includes('msg="Attempting to deploy workload"')) {
      taken++;
      const id = field(line, "workload_id");
      if (id) gone.add(id);
    }
  }
  const free = spawned.filter((id) => !gone.has(id));
  return {
    inPool: spawned.length - taken,
    live: free.filter((id) => handshaken.has(id)),
    young: free.filter((id) => !handshaken.has(id) && !gaveUp.has(id)),
    dead: free.filter((id) => !handshaken.has(id) && gaveUp.has(id)),
  };
}

/** Whether a deploy can go now, must wait for the pool to settle, or can never reach a listening agent. */
export function poolReadiness(state: PoolState, poolSize: number): PoolReadiness {
  if (state.inPool < poolSize || state.young.length > 0 || state.dead.length > 0) return "wait";
  return state.live.length > 0 ? "ready" : "exhausted";
}

/** The node holds no agent a deploy could reach, and it spawns none until a deploy takes one. */
export class PoolExhausted extends StackError {
  constructor(logPath: string) {
    super(
      "START_FAILED",
      `every agent in the real Nex node's warm pool gave up on its handshake, and the node spawns no more (log: ${logPath})`,
    );
  }
}

/** Waits (by the node's own log, at NEX_LOGLEVEL=debug) until a deploy can only reach a listening agent. */
export async function waitForWarmPool(
  logPath: string,
  opts: { poolSize?: number; timeoutMs?: number; isAlive?: () => boolean } = {},
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 180_000);
  for (;;) {
    let text = "";
    try {
      text = readFileSync(logPath, "utf8");
    } catch {
      // not written yet
    }
    const state = poolState(text);
    const readiness = poolReadiness(state, opts.poolSize ?? REAL_NEX_POOL_SIZE);
    if (readiness === "ready") return;
    if (readiness === "exhausted") throw new PoolExhausted(logPath);
    if (opts.isAlive && !opts.isAlive())
      throw new StackError("START_FAILED", `the real Nex node exited (log: ${logPath})`);
    if (Date.now() > deadline) {
      throw new StackError(
        "START_FAILED",
        `real Nex's warm pool did not settle: ${state.young.length} young and ${state.dead.length} dead agents, ${state.inPool} in the pool (log: ${logPath})`,
      );
    }
    await sleep(100);
  }
}

/**
 * Real Nex 0.3.0-rc1 reads its workload maps without a lock while a deploy or stop writes them, so an
 * agent's log or event that arrives during a deploy can end the whole node with Go's unrecoverable
 * "fatal error: concurrent map read and map write" (an upstream data race, not a refusal). Returns
 * that line when the node's log shows it, so a caller can restart the node rather than fail.
 */
export function upstreamMapRace(logText: string): string | undefined {
  return /^fatal error: concurrent map [a-z ]+$/m.exec(logText)?.[0];
}

/** Why a real node that is gone died: the map race when its log shows it, else the last lines it wrote. */
export function realNexDeathCause(logText: string): string {
  const tail = logText.trimEnd().split("\n").slice(-3).join(" | ");
  return upstreamMapRace(logText) ?? (tail ? `it exited; its log ends: ${tail}` : "it exited before it wrote a log");
}
