import { describe, expect, it } from "vitest";
import type { StackError } from "./stack-error.ts";
import { duplicatePorts, jetStreamReplicas, parseClusterSize, stackLayout } from "./cluster-layout.ts";

const ports = { client: 4222, http: 8222, ws: 4223, cluster: 6222 };

describe("the stack's server layout", () => {
  it("given one server, then it keeps the single-server names and paths a stack dir always had", () => {
    const layout = stackLayout("/s", 1, ports);
    expect(layout.servers).toEqual([
      {
        id: "nats-server",
        serverName: "natster",
        ports: { client: 4222, http: 8222, ws: 4223 },
        configPath: "/s/conf/nats-server.conf",
        storeDir: "/s/jetstream",
        logPath: "/s/logs/nats-server.log",
      },
    ]);
    expect(layout.nexNodes).toEqual(["nex-node"]);
    expect(jetStreamReplicas(1)).toBe(1);
  });

  it("given a cluster of three, then each server has its own ports (+10 each), config, store and log under the stack dir, and two global Nex nodes run", () => {
    const layout = stackLayout("/s", 3, ports);
    expect(
      layout.servers.map((s) => [s.id, s.serverName, s.ports.client, s.ports.ws, s.ports.http, s.clusterPort]),
    ).toEqual([
      ["nats-server-1", "natster-1", 4222, 4223, 8222, 6222],
      ["nats-server-2", "natster-2", 4232, 4233, 8232, 6232],
      ["nats-server-3", "natster-3", 4242, 4243, 8242, 6242],
    ]);
    expect(layout.servers[1]).toMatchObject({
      configPath: "/s/conf/nats-server-2.conf",
      storeDir: "/s/jetstream/natster-2",
      logPath: "/s/logs/nats-server-2.log",
    });
    expect(layout.nexNodes).toEqual(["nex-node", "nex-node-2"]);
    expect(jetStreamReplicas(3)).toBe(3);
    expect(jetStreamReplicas(5)).toBe(3);
    expect(duplicatePorts(layout)).toEqual([]);
  });

  it("given base ports closer than the step, then the ports bound twice are named", () => {
    expect(duplicatePorts(stackLayout("/s", 3, { client: 5000, ws: 5010, http: 8000, cluster: 9000 }))).toEqual([
      5010, 5020,
    ]);
  });

  it("given --cluster values, then 1 and 3..9 pass, and 2, 0, 10 or words are refused", () => {
    expect(parseClusterSize("1")).toBe(1);
    expect(parseClusterSize("3")).toBe(3);
    for (const bad of ["2", "0", "10", "three", "3.5"]) {
      const error = (() => {
        try {
          parseClusterSize(bad);
        } catch (e) {
          return e as StackError;
        }
        return undefined;
      })();
      expect({ code: error?.code, says: /--cluster must be 1 or 3\.\.9/.test(error?.message ?? "") }).toEqual({
        code: "BAD_CLUSTER_SIZE",
        says: true,
      });
    }
  });
});
