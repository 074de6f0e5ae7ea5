import { describe, expect, it } from "vitest";
import { byStopRank, StopPolicies, type TrackedProcess } from "./pid-file.ts";

const tracked = (pid: number, policy: Pick<TrackedProcess, "stop_rank" | "stop_signal"> = {}): TrackedProcess => ({
  pid,
  marker: `m${pid}`,
  started_at: "2026-01-01T00:00:00.000Z",
  ...policy,
});

describe("the order in which down stops what up started", () => {
  it("given records in any order, then the servers' users stop first, an unranked record next, the servers last", () => {
    const server = tracked(1, StopPolicies.natsServer);
    const unranked = tracked(2);
    const node = tracked(3, StopPolicies.globalNode);
    const hub = tracked(4, StopPolicies.hubNode);
    const web = tracked(5, StopPolicies.webServer);
    expect([server, unranked, node, hub, web].sort(byStopRank).map((p) => p.pid)).toEqual([5, 4, 3, 2, 1]);
  });
});
