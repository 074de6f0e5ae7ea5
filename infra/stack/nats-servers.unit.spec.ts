import { describe, expect, it } from "vitest";
import { stackLayout } from "./cluster-layout.ts";
import type { StackIdentity } from "@natster/identity";
import { layoutConfigs, serverUrls } from "./nats-servers.ts";

const identity = {
  operator: { jwt: "eyJop" },
  accounts: { SYS: { public_key: "ASYS", jwt: "eyJsys" } },
} as unknown as StackIdentity;
const ports = { client: 4222, http: 8222, ws: 4223, cluster: 6222 };

describe("the configs natster up writes for its layout", () => {
  it("given one server, then one config without a cluster block, with the stack dir's store and resolver", () => {
    const [conf, ...rest] = layoutConfigs("/s", identity, stackLayout("/s", 1, ports), "127.0.0.1");
    expect(rest).toEqual([]);
    expect(conf).toContain('server_name: "natster"');
    expect(conf).toContain('store_dir: "/s/jetstream"');
    expect(conf).toContain('dir: "/s/jwt"');
    expect(conf).not.toContain("cluster {");
  });

  it("given three servers, then each routes over loopback to the other two, with its own ports, store and resolver dirs", () => {
    const layout = stackLayout("/s", 3, ports);
    const confs = layoutConfigs("/s", identity, layout, "127.0.0.1");
    expect(confs).toHaveLength(3);
    expect(confs[1]).toContain('server_name: "natster-2"');
    expect(confs[1]).toContain('listen: "127.0.0.1:4232"');
    expect(confs[1]).toMatch(/websocket \{\n {2}listen: "127\.0\.0\.1:4233"/);
    expect(confs[1]).toContain('store_dir: "/s/jetstream/natster-2"');
    expect(confs[1]).toContain('dir: "/s/jwt/natster-2"');
    expect(confs[1]).toContain('routes: ["nats-route://127.0.0.1:6222", "nats-route://127.0.0.1:6242"]');
    expect(layout.servers.map((s) => serverUrls(s, "127.0.0.1").url)).toEqual([
      "nats://127.0.0.1:4222",
      "nats://127.0.0.1:4232",
      "nats://127.0.0.1:4242",
    ]);
  });
});
