import { createCurve } from "@nats-io/nkeys";
import { describe, expect, it } from "vitest";
import { openEnvironment, sealEnvironment } from "./env-seal.ts";

describe("deploy environment sealing", () => {
  it("given an env sealed to the node's xkey, when the node opens it, then the map comes back", () => {
    const sender = createCurve();
    const node = createCurve();
    const env = { NATS_URL: "nats://127.0.0.1:4222", greeting: "héllo" };
    const sealed = sealEnvironment(sender, node.getPublicKey(), env);
    expect(sealed).not.toContain("héllo");
    expect(openEnvironment(node, sender.getPublicKey(), sealed)).toEqual(env);
  });

  it("given an env sealed to another node, when opened, then it fails clearly", () => {
    const sender = createCurve();
    const sealed = sealEnvironment(sender, createCurve().getPublicKey(), { A: "1" });
    expect(() => openEnvironment(createCurve(), sender.getPublicKey(), sealed)).toThrow(
      /failed to decrypt environment/,
    );
  });

  it("given no environment, when opened, then it is empty; given no sender key, then it fails", () => {
    expect(openEnvironment(createCurve(), undefined, undefined)).toEqual({});
    expect(() => openEnvironment(createCurve(), undefined, "AAAA")).toThrow(/sender_public_key is required/);
  });
});
