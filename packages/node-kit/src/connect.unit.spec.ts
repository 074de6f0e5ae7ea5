import { describe, expect, it } from "vitest";
import { serverList, workloadServers } from "./connect.ts";

describe("server lists", () => {
  it("given one URL, a comma-separated string or a list, then one list of URLs (blanks dropped)", () => {
    expect(serverList("nats://a:4222")).toEqual(["nats://a:4222"]);
    expect(serverList("nats://a:4222, nats://b:4232,,nats://c:4242")).toEqual([
      "nats://a:4222",
      "nats://b:4232",
      "nats://c:4242",
    ]);
    expect(serverList(["nats://a:4222,nats://b:4232", "nats://c:4242"])).toEqual([
      "nats://a:4222",
      "nats://b:4232",
      "nats://c:4242",
    ]);
  });

  it("given a Nex workload environment with every server of a cluster, then the workload connects to all of them", () => {
    expect(workloadServers({ NEX_WORKLOAD_NATS_SERVERS: "nats://a:4222,nats://b:4232" })).toEqual([
      "nats://a:4222",
      "nats://b:4232",
    ]);
    expect(workloadServers({})).toEqual(["nats://127.0.0.1:4222"]);
  });
});
