import { describe, expect, it } from "vitest";
import { advertisedHost, advertisedUrl, configuredListenHost, parseListenAddress } from "./listen.ts";
import { renderServerConfig } from "./server-config.ts";

describe("natster up --listen", () => {
  it("given IPv4 addresses and host names, when parsed, then they are kept; anything else is refused with BAD_LISTEN", () => {
    expect(parseListenAddress("10.231.0.1")).toBe("10.231.0.1");
    expect(parseListenAddress(" hub.lan ")).toBe("hub.lan");
    expect(() => parseListenAddress("10.0.0.1:4222")).toThrow(/not an IPv4 address or a host name/);
    expect(() => parseListenAddress("")).toThrow(expect.objectContaining({ code: "BAD_LISTEN" }) as Error);
    expect(() => parseListenAddress("::1")).toThrow(/IPv6/);
  });

  it("given a concrete address, when advertised, then clients get that same address", () => {
    expect(advertisedHost("10.231.0.1")).toBe("10.231.0.1");
    expect(advertisedUrl("nats://10.231.0.1:4222", "10.231.0.1", "10.231.0.1")).toBe("nats://10.231.0.1:4222");
  });

  it("given the wildcard (asked for explicitly), when advertised, then clients get this machine's first external IPv4", () => {
    const nic = (address: string, internal: boolean) => ({
      address,
      internal,
      family: "IPv4" as const,
      netmask: "255.255.255.0",
      mac: "00:00:00:00:00:00",
      cidr: null,
    });
    expect(advertisedHost("0.0.0.0", { lo: [nic("127.0.0.1", true)], eth0: [nic("192.168.1.7", false)] })).toBe(
      "192.168.1.7",
    );
    expect(advertisedHost("0.0.0.0", { lo: [nic("127.0.0.1", true)] })).toBe("127.0.0.1");
    expect(advertisedUrl("ws://0.0.0.0:4223", "0.0.0.0", "192.168.1.7")).toBe("ws://192.168.1.7:4223");
  });

  it("given the server config of a running stack, when read, then its bind address comes back", () => {
    const conf = renderServerConfig({
      serverName: "natster",
      host: "10.231.0.1",
      port: 4222,
      httpPort: 8222,
      wsPort: 4223,
      operatorJwt: "eyJ",
      systemAccount: "ASYS",
      systemAccountJwt: "eyJ",
      storeDir: "/js",
      resolverDir: "/jwt",
    });
    expect(configuredListenHost(conf)).toBe("10.231.0.1");
  });
});
