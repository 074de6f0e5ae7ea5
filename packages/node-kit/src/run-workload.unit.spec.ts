import type { NatsConnection } from "@nats-io/nats-core";
import { describe, expect, it } from "vitest";
import { runWorkload, type WorkloadHost } from "./run-workload.ts";

/** A process stand-in: signals are fired by the test, exits and log lines are recorded. */
function fakeHost() {
  const signals = new Map<string, () => void>();
  const rejections: ((reason: unknown) => void)[] = [];
  const deadlines: (() => void)[] = [];
  const lines: string[] = [];
  const exits: number[] = [];
  let exited: (code: number) => void = () => undefined;
  const exitedOnce = new Promise<number>((resolve) => (exited = resolve));
  const host: WorkloadHost = {
    write: (text) => lines.push(text),
    now: () => new Date("2026-01-02T03:04:05.000Z"),
    onSignal: (signal, handler) => signals.set(signal, handler),
    onUnhandledRejection: (handler) => rejections.push(handler),
    deadline: (_ms, fn) => deadlines.push(fn),
    exit: (code) => {
      exits.push(code);
      exited(code);
    },
  };
  return { host, signals, rejections, deadlines, lines, exits, exitedOnce };
}

function fakeConnection(drained: string[], name: string): NatsConnection {
  return { drain: () => (drained.push(name), Promise.resolve()) } as unknown as NatsConnection;
}

describe("runWorkload", () => {
  it("given a workload that serves, when SIGTERM arrives, then it logs the stop, stops, drains every connection and exits 0", async () => {
    const fake = fakeHost();
    const order: string[] = [];
    await runWorkload(
      { name: "entropy" },
      (log) => {
        log("ready");
        return Promise.resolve({
          stop: () => (order.push("stop"), Promise.resolve()),
          connections: [fakeConnection(order, "nc"), fakeConnection(order, "sys")],
        });
      },
      fake.host,
    );
    expect([...fake.signals.keys()].sort()).toEqual(["SIGINT", "SIGTERM"]);
    fake.signals.get("SIGTERM")!();
    expect(await fake.exitedOnce).toBe(0);
    expect(order).toEqual(["stop", "nc", "sys"]);
    expect(fake.lines).toEqual([
      "2026-01-02T03:04:05.000Z entropy: ready\n",
      "2026-01-02T03:04:05.000Z entropy: SIGTERM: stopping\n",
    ]);
  });

  it("given a main that throws, when run, then it logs fatal with the message and exits 1 without waiting for signals", async () => {
    const fake = fakeHost();
    await runWorkload(
      { name: "catalog-server" },
      () => Promise.reject(new Error("NATSTER_CATALOG is required")),
      fake.host,
    );
    expect(fake.exits).toEqual([1]);
    expect(fake.lines).toEqual(["2026-01-02T03:04:05.000Z catalog-server: fatal: NATSTER_CATALOG is required\n"]);
    expect(fake.signals.size).toBe(0);
  });

  it("given a stop that fails, when SIGINT arrives, then the failure is logged and the connections are still drained", async () => {
    const fake = fakeHost();
    const drained: string[] = [];
    await runWorkload(
      { name: "catalog-server", stoppingLine: "going offline" },
      () =>
        Promise.resolve({
          stop: () => Promise.reject(new Error("goodbye not sent")),
          connections: [fakeConnection(drained, "nc")],
        }),
      fake.host,
    );
    fake.signals.get("SIGINT")!();
    expect(await fake.exitedOnce).toBe(0);
    expect(drained).toEqual(["nc"]);
    expect(fake.lines.map((l) => l.slice(25))).toEqual([
      "catalog-server: SIGINT: going offline\n",
      "catalog-server: stop failed: goodbye not sent\n",
    ]);
  });

  it("given a shutdown deadline and a stop that never ends, when the deadline fires, then it logs and exits 0", async () => {
    const fake = fakeHost();
    await runWorkload(
      { name: "trigger-bridge", shutdownDeadlineMs: 4000 },
      () => Promise.resolve({ stop: () => new Promise<void>(() => undefined), connections: [] }),
      fake.host,
    );
    fake.signals.get("SIGTERM")!();
    expect(fake.deadlines).toHaveLength(1);
    fake.deadlines[0]!();
    expect(fake.exits).toEqual([0]);
    expect(fake.lines.at(-1)).toBe("2026-01-02T03:04:05.000Z trigger-bridge: shutdown deadline passed; exiting\n");
  });

  it("given a workload that survives unhandled rejections, when one happens, then it is logged and nothing exits", async () => {
    const fake = fakeHost();
    await runWorkload(
      { name: "local-agent", surviveUnhandledRejections: true },
      () => Promise.resolve({ stop: () => Promise.resolve(), connections: [] }),
      fake.host,
    );
    fake.rejections[0]!(new Error("bad reply"));
    expect(fake.lines).toEqual(["2026-01-02T03:04:05.000Z local-agent: unhandled rejection: bad reply\n"]);
    expect(fake.exits).toEqual([]);
  });
});
