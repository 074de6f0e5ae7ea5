import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { StackError } from "./stack-error.ts";

/**
 * Real Nex 0.3.0-rc1 (no sandbox) puts a nex-agent in its warm pool as soon as the process is spawned, not
 * when it has handshaken, and hands a deploy to a random pool member with only ~1 s of retries. On a loaded
 * machine a young agent is not listening yet, and the deploy fails ("exceeded maximum number of agent
 * workload deploy attempts"). The node says nothing of this on its control API, only in its debug log:
 * so before a deploy we wait until every agent it started has handshaken (or been dropped).
 *
 * An agent can also give up at once: it asks the node for its handshake a few times within ≈ 0.1 s,
 * and if the node has not subscribed for it yet (another upstream race) it logs "Failed to initialize
 * agent" and exits. The node notices only at agent_handshake_timeout_ms (120 s here), so that agent
 * counts as settled too; a deploy the node still hands to it fails as "exceeded maximum number of
 * agent workload deploy attempts", drops it from the pool, and is retried (deploy-retry.ts).
 */
export type PoolState = { started: number; waiting: string[] };

const field = (line: string, key: string) => new RegExp(`\\b${key}=([0-9a-f-]{36})`).exec(line)?.[1];

/** Reads the node's log (text handler, debug level) into the agents that started and those not yet handshaken. */
export function poolState(logText: string): PoolState {
  const started: string[] = [];
  const settled = new Set<string>();
  for (const line of logText.split("\n")) {
    if (line.includes('msg="Agent client started"')) {
      const id = field(line, "agent_id");
      if (id) started.push(id);
    } else if (line.includes('msg="Received agent handshake"')) {
      const id = field(line, "agent_id");
      if (id) settled.add(id);
    } else if (line.includes("Did not receive NATS handshake") || line.includes('msg="Failed to initialize agent')) {
      const id = field(line, "workload_id");
      if (id) settled.add(id);
    }
  }
  return { started: started.length, waiting: started.filter((id) => !settled.has(id)) };
}

/** True when a deploy can only reach an agent that listens: at least one agent started, and none is still young. */
export const poolIsWarm = (state: PoolState): boolean => state.started > 0 && state.waiting.length === 0;

/** Waits (by the node's own log, at NEX_LOGLEVEL=debug) until the warm pool holds only handshaken agents. */
export async function waitForWarmPool(
  logPath: string,
  opts: { timeoutMs?: number; isAlive?: () => boolean } = {},
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
    if (poolIsWarm(state)) return;
    if (opts.isAlive && !opts.isAlive())
      throw new StackError("START_FAILED", `the real Nex node exited (log: ${logPath})`);
    if (Date.now() > deadline) {
      throw new StackError(
        "START_FAILED",
        `real Nex agents did not handshake: ${state.waiting.length} of ${state.started} still waiting (log: ${logPath})`,
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
