import { describe, expect, it } from "vitest";
import { checkExecutable, nativeCommand, nativeEnvironment } from "./env.ts";
import { lineSplitter } from "./line-splitter.ts";
import { restartDelay } from "./restart-policy.ts";

describe("native workload environment", () => {
  it("given deploy env and the node's identity, when built, then keys are upper-cased and only Nex variables are added", () => {
    const env = nativeEnvironment(
      { nats_url: "nats://x", Greeting: "hi" },
      { servers: "nats://127.0.0.1:4222", jwt: "eyJ.x.y", seed: "SUAX" },
    );
    expect(env).toEqual({
      NATS_URL: "nats://x",
      GREETING: "hi",
      NEX_WORKLOAD_NATS_SERVERS: "nats://127.0.0.1:4222",
      NEX_WORKLOAD_NATS_NKEY: "SUAX",
      NEX_WORKLOAD_NATS_B64_JWT: Buffer.from("eyJ.x.y").toString("base64"),
    });
    expect(env.PATH).toBeUndefined();
  });

  it("given artifacts, when resolved to a command, then only local .js files run through node", () => {
    expect(nativeCommand("/tmp/workload-1", ["-v"], false, "/usr/bin/node")).toEqual({
      command: "/tmp/workload-1",
      args: ["-v"],
    });
    expect(nativeCommand("/srv/ticker.cjs", ["-v"], true, "/usr/bin/node")).toEqual({
      command: "/usr/bin/node",
      args: ["/srv/ticker.cjs", "-v"],
    });
    expect(nativeCommand("/srv/ticker", [], true, "/usr/bin/node")).toEqual({ command: "/srv/ticker", args: [] });
  });

  it("given artifact bytes, when checked, then only ELF binaries and #! scripts may be executed (never via a shell)", () => {
    const enc = new TextEncoder();
    expect(() => checkExecutable(enc.encode("#!/usr/bin/node\nconsole.log(1)"))).not.toThrow();
    expect(() => checkExecutable(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1]))).not.toThrow();
    expect(() => checkExecutable(enc.encode("console.log(1)"))).toThrow(/exec format error/);
  });
});

describe("restart backoff", () => {
  it("given successive crashes, when restarting, then delays double up to the cap and stop after the limit", () => {
    const policy = { maxRestarts: 5, baseDelayMs: 250, maxDelayMs: 1_000, stableAfterMs: 60_000 };
    expect([1, 2, 3, 4, 5].map((n) => restartDelay(n, 10, policy)?.delayMs)).toEqual([250, 500, 1_000, 1_000, 1_000]);
    expect(restartDelay(6, 10, policy)).toBeUndefined();
  });

  it("given a run that lasted long enough, when it crashes, then the count starts over", () => {
    expect(restartDelay(6, 60_000)).toEqual({ attempt: 1, delayMs: 250 });
  });
});

describe("output lines", () => {
  it("given chunks split anywhere, when pushed, then whole lines come out and the last partial one on flush", () => {
    const lines: string[] = [];
    const split = lineSplitter((l) => lines.push(l));
    split.push(Buffer.from("one\ntw"));
    split.push(Buffer.from("o\r\nthree"));
    expect(lines).toEqual(["one", "two"]);
    split.flush();
    expect(lines).toEqual(["one", "two", "three"]);
  });
});
