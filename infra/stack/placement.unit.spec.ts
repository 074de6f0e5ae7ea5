import { describe, expect, it } from "vitest";
import { runsOnNode, SINGLE_INSTANCE_WORKLOADS } from "./placement.ts";

describe("placement of the stack's Nexfiles on its global nodes", () => {
  it("given the first node, then it runs every Nexfile", () => {
    for (const name of ["global-events", "entropy", "account-authority", "trigger-bridge"]) expect(runsOnNode(name, 0)).toBe(true);
  });

  it("given a second node, then it runs the functions and the entropy service, but no single-instance workload", () => {
    expect(runsOnNode("global-events", 1)).toBe(true);
    expect(runsOnNode("project-catalog", 1)).toBe(true);
    expect(runsOnNode("entropy", 1)).toBe(true);
    for (const name of SINGLE_INSTANCE_WORKLOADS) expect(runsOnNode(name, 1)).toBe(false);
  });
});
