import { describe, expect, it } from "vitest";
import { auctionAccepts, formatUptime, type NodeFacts } from "./responses.ts";

const node: NodeFacts = {
  nodeId: "NNODE",
  xkey: "XKEY",
  startedAt: new Date(0),
  tags: { "nex.os": "linux", "nex.arch": "amd64", zone: "eu" },
  workloadTypes: ["native", "v8"],
};

describe("auction bids", () => {
  it("given requests, when the node decides, then it bids only when it can run all of it", () => {
    expect(auctionAccepts({}, node)).toBe(true);
    expect(auctionAccepts({ workload_types: ["v8"], os: "linux", arch: "amd64", tags: { zone: "eu" } }, node)).toBe(
      true,
    );
    expect(auctionAccepts({ workload_types: ["v8", "wasm"] }, node)).toBe(false);
    expect(auctionAccepts({ os: "darwin" }, node)).toBe(false);
    expect(auctionAccepts({ tags: { zone: "us" } }, node)).toBe(false);
    expect(auctionAccepts({ sandboxed: true }, node)).toBe(false);
  });
});

describe("uptime", () => {
  it("given durations, when formatted, then they read like nats-server's", () => {
    expect(formatUptime(4_000)).toBe("4s");
    expect(formatUptime(65_000)).toBe("1m5s");
    expect(formatUptime(3_723_000)).toBe("1h2m3s");
    expect(formatUptime(90_061_000)).toBe("1d1h1m1s");
  });
});
