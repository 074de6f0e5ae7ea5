import { fmtCreds } from "@nats-io/jwt";
import { createUser } from "@nats-io/nkeys";
import { describe, expect, it } from "vitest";
import { parseCreds, resolveWorkloadIdentity } from "./workload-identity.ts";

describe("workload identity", () => {
  it("given a creds file whose JWT holds base64url '-' and '_', when parsed, then JWT and seed come out whole", () => {
    const user = createUser();
    const jwt = "eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJVQUJDIn0.ab-cd_ef-GH";
    expect(parseCreds(new TextDecoder().decode(fmtCreds(jwt, user)))).toEqual({
      jwt,
      seed: new TextDecoder().decode(user.getSeed()),
    });
    expect(() => parseCreds("not creds")).toThrow(/not a NATS creds file/);
  });

  it("given the three sources, when resolved, then the deploy override wins, then the node config, then the node's own user", () => {
    const node = { servers: "nats://node:4222", jwt: "node-jwt", seed: "node-seed" };
    const configured = { url: "nats://cfg:4222", jwt: "cfg-jwt", seed: "cfg-seed" };
    const override = { nats_url: "nats://req:4222", nats_user_jwt: "req-jwt", nats_user_seed: "req-seed" };
    expect(resolveWorkloadIdentity(override, configured, node)).toEqual({
      servers: "nats://req:4222",
      jwt: "req-jwt",
      seed: "req-seed",
    });
    expect(resolveWorkloadIdentity(undefined, configured, node)).toEqual({
      servers: "nats://cfg:4222",
      jwt: "cfg-jwt",
      seed: "cfg-seed",
    });
    expect(resolveWorkloadIdentity(undefined, undefined, node)).toBe(node);
    expect(resolveWorkloadIdentity(undefined, undefined, undefined)).toBeUndefined();
  });
});
