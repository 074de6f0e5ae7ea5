import { describe, expect, it } from "vitest";
import { stackNatsUrls, stackServers, stackWsUrls } from "./client-info.ts";

describe("the stack's URLs in stack-client.json", () => {
  it("given a cluster's file, then every URL, and the servers as one comma-separated string", () => {
    const info = {
      nats_url: "nats://h:4222",
      nats_urls: ["nats://h:4222", "nats://h:4232"],
      ws_url: "ws://h:4223",
      ws_urls: ["ws://h:4223", "ws://h:4233"],
    };
    expect(stackNatsUrls(info)).toEqual(["nats://h:4222", "nats://h:4232"]);
    expect(stackWsUrls(info)).toEqual(["ws://h:4223", "ws://h:4233"]);
    expect(stackServers(info)).toBe("nats://h:4222,nats://h:4232");
  });

  it("given a file written before clusters (one URL each), then that URL", () => {
    expect(stackNatsUrls({ nats_url: "nats://h:4222" })).toEqual(["nats://h:4222"]);
    expect(stackWsUrls({ ws_url: "ws://h:4223" })).toEqual(["ws://h:4223"]);
  });
});
