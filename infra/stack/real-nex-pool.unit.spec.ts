import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "@natster/node-kit";
import { loadNexfiles } from "../deploy/nexfile.ts";
import { REAL_NEX_POOL_SIZE } from "./real-nex-component.ts";
import { poolReadiness, poolState, realNexDeathCause, upstreamMapRace } from "./real-nex-pool.ts";

const A = "fee0ef2d-60c3-4726-843d-59d7976c9a28";
const B = "2b1dd494-b230-474b-be2d-4c4478faffbf";
const C = "d3d5591d-96b0-4ac0-993a-7e2e41a66b90";
const line = (level: string, msg: string, rest: string) =>
  `time="2026-12-06 20:12:53" level=${level} msg="${msg}" ${rest}`;
const spawned = (id: string) => line("INFO", "Adding new agent process to warm pool", `workload_id=${id}`);
const started = (id: string) => line("INFO", "Agent client started", `agent_id=${id}`);
const handshaken = (id: string) => line("DEBUG", "Received agent handshake", `agent_id=${id} message=""`);
const gaveUp = (id: string) =>
  line(
    "ERROR",
    "Failed to initialize agent: Failed to obtain handshake from host",
    `${id}.workload_id=${id} ${id}.from_agent=true`,
  );
const dropped = (id: string) =>
  line("ERROR", "Did not receive NATS handshake from agent within timeout.", `workload_id=${id}`);
const taken = (id: string, name: string) =>
  line(
    "DEBUG",
    "Attempting to deploy workload",
    `workload_id=${id} workload_name=${name} workload_type=v8 status=CONNECTED`,
  );
const readiness = (lines: string[], poolSize = 2) => poolReadiness(poolState(lines.join("\n")), poolSize);

describe("reading real Nex's warm pool from its log", () => {
  it("given an empty log, then a deploy waits: the node has spawned no agent yet", () => {
    expect(poolState("")).toEqual({ inPool: 0, live: [], young: [], dead: [] });
    expect(readiness([])).toBe("wait");
  });

  it("given a spawned agent with no handshake yet (started or not), then it is young and a deploy waits", () => {
    const lines = [spawned(A), started(A), handshaken(A), spawned(B)];
    expect(poolState(lines.join("\n"))).toEqual({ inPool: 2, live: [A], young: [B], dead: [] });
    expect(readiness(lines)).toBe("wait");
    expect(readiness([...lines, started(B)])).toBe("wait");
  });

  it("given a full pool of handshaken agents, then a deploy can go", () => {
    expect(readiness([spawned(A), started(A), handshaken(A), spawned(B), handshaken(B), started(B)])).toBe("ready");
  });

  it("given a deploy just took an agent and the node has not spawned its replacement yet, then the next deploy waits", () => {
    const lines = [spawned(A), handshaken(A), spawned(B), handshaken(B), taken(A, "global-my")];
    expect(poolState(lines.join("\n"))).toMatchObject({ inPool: 1, live: [B] });
    expect(readiness(lines)).toBe("wait");
    expect(readiness([...lines, spawned(C), handshaken(C)])).toBe("ready");
  });

  it("given an agent that gave up on its handshake, then a deploy waits until the node has dropped it, however many live ones there are", () => {
    const lines = [spawned(A), handshaken(A), spawned(B), gaveUp(B), started(B)];
    expect(poolState(lines.join("\n"))).toEqual({ inPool: 2, live: [A], young: [], dead: [B] });
    expect(readiness(lines)).toBe("wait");
    expect(readiness([...lines, dropped(B)])).toBe("ready");
  });

  it("given every agent in the pool gave up and was dropped, then the pool is exhausted: the node spawns no more", () => {
    const lines = [spawned(A), gaveUp(A), dropped(A), spawned(B), gaveUp(B), dropped(B)];
    expect(poolState(lines.join("\n"))).toEqual({ inPool: 2, live: [], young: [], dead: [] });
    expect(readiness(lines)).toBe("exhausted");
  });

  it("given a deploy handed to a dead agent, then that agent leaves the pool with the deploy, and its replacement counts", () => {
    const lines = [spawned(A), handshaken(A), spawned(B), gaveUp(B), taken(B, "global-otc"), spawned(C), handshaken(C)];
    expect(poolState(lines.join("\n"))).toEqual({ inPool: 2, live: [A, C], young: [], dead: [] });
    expect(readiness(lines)).toBe("ready");
  });

  it("given other lines that mention agent ids, then they change nothing", () => {
    const noise = `time="x" level=INFO msg="Workload deployed" workload=global-my workload_id=${B}`;
    expect(poolState([spawned(A), noise].join("\n")).young).toEqual([A]);
  });
});

describe("the real node's warm pool size", () => {
  it("given every Nexfile natster up deploys, then the pool the node starts with covers them with two to spare", () => {
    expect(REAL_NEX_POOL_SIZE).toBeGreaterThanOrEqual(loadNexfiles(join(repoRoot, "nexfiles")).length + 2);
  });
});

describe("recognizing real Nex 0.3.0-rc1's map race in its log", () => {
  it("given the node died of a concurrent map access, then the fatal line is returned", () => {
    const log = [started(A), "fatal error: concurrent map read and map write", "", "goroutine 638 [running]:"].join(
      "\n",
    );
    expect(upstreamMapRace(log)).toBe("fatal error: concurrent map read and map write");
  });

  it("given an iteration during a write, then it is recognized too", () => {
    expect(upstreamMapRace("fatal error: concurrent map iteration and map write\n")).toBe(
      "fatal error: concurrent map iteration and map write",
    );
  });

  it("given any other ending, then it is not this race", () => {
    expect(
      upstreamMapRace([started(A), 'level=ERROR msg="First handshake failed, shutting down"'].join("\n")),
    ).toBeUndefined();
  });
});

describe("realNexDeathCause", () => {
  it("given a log ending in the map race, then the cause is that line", () => {
    expect(realNexDeathCause("level=INFO msg=x\nfatal error: concurrent map writes\n\ngoroutine 1 [running]:\n")).toBe(
      "fatal error: concurrent map writes",
    );
  });

  it("given any other end, then the cause is its last three lines, and an empty log says so", () => {
    expect(realNexDeathCause("a\nb\nc\nd\n")).toBe("it exited; its log ends: b | c | d");
    expect(realNexDeathCause("")).toBe("it exited before it wrote a log");
  });
});
