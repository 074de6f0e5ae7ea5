import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { startTestStack } from "../support/test-stack.ts";

describe("the test kit's disposable stack", () => {
  it("given a stack held with `await using`, when its scope ends, then its connections are closed, its server stopped and its dir removed", async () => {
    let url = "";
    let dir = "";
    let nc: NatsConnection | undefined;
    {
      await using stack = await startTestStack();
      ({ url, dir } = stack);
      nc = await stack.connect("sys", "await-using-probe");
      expect(existsSync(dir)).toBe(true);
      expect(nc.isClosed()).toBe(false);
    }
    expect(nc.isClosed()).toBe(true);
    expect(existsSync(dir)).toBe(false);
    await expect(connect({ servers: url, reconnect: false, timeout: 5_000 })).rejects.toThrow();
  });
});
