import { describe, expect, it } from "vitest";
import { stoppedServersNote } from "./stopped-servers-note.ts";

describe("stoppedServersNote", () => {
  it("given the servers rm stopped, then it names their workloads", () => {
    expect(stoppedServersNote("films", { stopped: ["w1", "w2"] })).toBe(
      "Stopped its catalog server (workload w1, w2).",
    );
  });

  it("given no server was running, then it says nothing", () => {
    expect(stoppedServersNote("films", { stopped: [] })).toBe("");
  });

  it("given the stack could not be asked, then it says why and that a running serve goes on serving", () => {
    expect(stoppedServersNote("films", { unreachable: "cannot reach NATS" })).toBe(
      "Could not check for a running catalog server (cannot reach NATS): " +
        "a `natster catalog serve films` still running serves what it loaded until you stop it.",
    );
  });
});
