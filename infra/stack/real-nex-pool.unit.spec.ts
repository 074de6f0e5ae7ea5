import { describe, expect, it } from "vitest";
import { poolIsWarm, poolState, realNexDeathCause, upstreamMapRace } from "./real-nex-pool.ts";

const A = "fee0ef2d-60c3-4726-843d-59d7976c9a28";
const B = "2b1dd494-b230-474b-be2d-4c4478faffbf";
const started = (id: string) => `time="2026-12-05 01:26:04" level=INFO msg="Agent client started" agent_id=${id}`;
const handshaken = (id: string) =>
  `time="2026-12-05 01:26:04" level=DEBUG msg="Received agent handshake" agent_id=${id} message=""`;
const timedOut = (id: string) =>
  `time="2026-12-05 01:26:09" level=ERROR msg="Did not receive NATS handshake from agent within timeout." workload_id=${id}`;

describe("reading real Nex's warm pool from its log", () => {
  it("given an empty log, then the pool is not warm (no agent yet)", () => {
    expect(poolState("")).toEqual({ started: 0, waiting: [] });
    expect(poolIsWarm(poolState(""))).toBe(false);
  });

  it("given two started agents of which one handshook, then the other is still waiting", () => {
    const state = poolState([started(A), started(B), handshaken(A)].join("\n"));
    expect(state).toEqual({ started: 2, waiting: [B] });
    expect(poolIsWarm(state)).toBe(false);
  });

  it("given every started agent handshook, then the pool is warm", () => {
    expect(poolIsWarm(poolState([started(A), handshaken(A), started(B), handshaken(B)].join("\n")))).toBe(true);
  });

  it("given an agent the node dropped for a missed handshake, then nobody waits for it", () => {
    const state = poolState([started(A), handshaken(A), started(B), timedOut(B)].join("\n"));
    expect(state.waiting).toEqual([]);
    expect(poolIsWarm(state)).toBe(true);
  });

  it("given an agent that gave up on its own handshake (the node had not subscribed yet), then nobody waits for it", () => {
    const gaveUp = `time="2026-12-06 17:30:07" level=ERROR msg="Failed to initialize agent: Failed to obtain handshake from host" ${B}.workload_id=${B} ${B}.from_agent=true`;
    const state = poolState([started(A), handshaken(A), started(B), gaveUp].join("\n"));
    expect(state.waiting).toEqual([]);
    expect(poolIsWarm(state)).toBe(true);
  });

  it("given other lines that mention agent ids, then they change nothing", () => {
    const noise = `time="x" level=INFO msg="Workload deployed" workload=global-my workload_id=${B}`;
    expect(poolState([started(A), noise].join("\n")).waiting).toEqual([A]);
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
