import { fmtCreds } from "@nats-io/jwt";
import { createAccount, createCurve, createUser } from "@nats-io/nkeys";
import { describe, expect, it } from "vitest";
import { openEnvironment, hostServicesFromEnv, buildDeployRequest } from "nex-node";
import { catalogServerDeployOptions } from "./catalog-server.ts";

const dec = new TextDecoder();

/** A user's creds as `natster init` writes them (the JWT content does not matter to the wire check). */
function userCreds() {
  const user = createUser();
  const seed = dec.decode(user.getSeed());
  return { seed, creds: dec.decode(fmtCreds("eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJVIn0.c2ln", user)) };
}

/** Everything of a deploy request except the environment sealed to the node's xkey, as it goes on the wire. */
const clearPart = (request: object) => JSON.stringify({ ...request, environment: undefined });

describe("catalog server deploy request", () => {
  const node = createCurve();
  const account = createAccount();
  const base = {
    natsUrl: "nats://10.0.0.1:4222",
    catalog: "movies",
    accountKey: account.getPublicKey(),
    home: "/home/alice/.natster",
    contextName: "default",
    issuer: account,
    publisher: createCurve(),
  };
  const artifact = { location: "file:///opt/natster/catalog-server.mjs", hash: "ab".repeat(32) };

  it("given a user workload deployed with the owner's creds, when the request is built, then the seed is only inside the sealed environment", async () => {
    const { seed, creds } = userCreds();
    const { namespace: _ns, ...opts } = catalogServerDeployOptions({ ...base, ownerCreds: creds }, "NNODE", artifact);
    const request = await buildDeployRequest({ ...opts, nodeXkey: node.getPublicKey() });

    expect(clearPart(request)).not.toContain(seed);
    expect(request.host_services_config).toBeUndefined();
    expect(request.host_services).toBeUndefined();
    expect(request.environment).toBeDefined();
    const env = openEnvironment(node, request.sender_public_key, request.environment);
    expect(hostServicesFromEnv(env)).toEqual({
      nats_url: base.natsUrl,
      nats_user_jwt: expect.any(String) as string,
      nats_user_seed: seed,
    });
  });

  it("given a user workload for the user's own node, when the request is built, then it carries no creds at all: the node's own user runs it", async () => {
    const { namespace: _ns, ...opts } = catalogServerDeployOptions(base, "NNODE", artifact);
    const request = await buildDeployRequest({ ...opts, nodeXkey: node.getPublicKey() });

    expect(request.host_services_config).toBeUndefined();
    const env = openEnvironment(node, request.sender_public_key, request.environment);
    expect(hostServicesFromEnv(env)).toBeUndefined();
    expect(env).toEqual({
      NATSTER_CATALOG: "movies",
      NATSTER_HOME: base.home,
      NATSTER_CONTEXT: "default",
      NATSTER_ACCOUNT: base.accountKey,
    });
    expect(clearPart(request)).not.toMatch(/"S[UA][A-Z2-7]{56}"/);
  });

  it("given an environment sealed to another node, when that node tries it, then it cannot read the seed", async () => {
    const { creds } = userCreds();
    const { namespace: _ns, ...opts } = catalogServerDeployOptions({ ...base, ownerCreds: creds }, "NNODE", artifact);
    const request = await buildDeployRequest({ ...opts, nodeXkey: node.getPublicKey() });
    expect(() => openEnvironment(createCurve(), request.sender_public_key, request.environment)).toThrow(
      /failed to decrypt environment/,
    );
  });
});
