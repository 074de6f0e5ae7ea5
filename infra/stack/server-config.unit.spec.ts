import { describe, expect, it } from "vitest";
import { renderClusterConfigs, renderServerConfig, type ClusterNode } from "./server-config.ts";

const base = {
  operatorJwt: "eyJop",
  systemAccount: "ASYS",
  systemAccountJwt: "eyJsys",
  resolverDir: "/state/jwt",
};

describe("nats-server config template", () => {
  it("given a single node, then it is operator mode with the full resolver, JetStream and websocket on loopback", () => {
    const conf = renderServerConfig({
      ...base,
      serverName: "natster",
      host: "127.0.0.1",
      port: 4222,
      httpPort: 8222,
      wsPort: 4223,
      storeDir: "/state/js",
    });
    expect(conf).toContain('listen: "127.0.0.1:4222"');
    expect(conf).toContain('operator: "eyJop"');
    expect(conf).toContain("system_account: ASYS");
    expect(conf).toMatch(/resolver \{\n {2}type: full\n {2}dir: "\/state\/jwt"/);
    expect(conf).toContain('store_dir: "/state/js"');
    expect(conf).toMatch(/websocket \{\n {2}listen: "127\.0\.0\.1:4223"\n {2}no_tls: true/);
    expect(conf).toContain('ASYS: "eyJsys"');
    expect(conf).not.toContain("cluster");
  });

  it("given three nodes, then each routes to the other two with its own store and resolver dirs", () => {
    const nodes: ClusterNode[] = ["n1", "n2", "n3"].map((name, i) => ({
      name,
      host: "127.0.0.1",
      routeHost: "127.0.0.1",
      port: 4000 + i,
      httpPort: 5000 + i,
      wsPort: 6000 + i,
      clusterPort: 7000 + i,
    }));
    const confs = renderClusterConfigs(base, nodes, (n) => `/js/${n.name}`);
    expect(confs).toHaveLength(3);
    expect(confs[0]).toContain('routes: ["nats-route://127.0.0.1:7001", "nats-route://127.0.0.1:7002"]');
    expect(confs[1]).toContain('server_name: "n2"');
    expect(confs[1]).toContain('dir: "/state/jwt/n2"');
    expect(confs[2]).toContain('store_dir: "/js/n3"');
    for (const c of confs) expect(c).toContain('name: "natster"');
  });
});
