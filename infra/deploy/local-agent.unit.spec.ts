import { createAccount, createCurve } from "@nats-io/nkeys";
import { describe, expect, it } from "vitest";
import { localAgentDeployOptions, localAgentWorkloadName } from "./local-agent.ts";

describe("local agent deploy request", () => {
  const account = createAccount();
  const d = {
    nodeId: "NNODE",
    accountKey: account.getPublicKey(),
    home: "/home/bob/.natster",
    contextName: "default",
    issuer: account,
    publisher: createCurve(),
  };
  const artifact = { location: "file:///opt/natster/local-agent.mjs", hash: "ab".repeat(32) };

  it("given a user's node, when the request is built, then it runs the agent natively on that node as the node's own user, with the home, context and account", () => {
    const opts = localAgentDeployOptions(d, artifact);
    expect(opts).toMatchObject({
      nodeId: "NNODE",
      type: "native",
      lifecycle: "service",
      location: artifact.location,
      hash: artifact.hash,
    });
    expect(opts.name).toBe(localAgentWorkloadName(d.accountKey));
    expect(opts.env).toEqual({ NATSTER_HOME: d.home, NATSTER_CONTEXT: "default", NATSTER_ACCOUNT: d.accountKey });
    expect(opts.hostServices).toBeUndefined();
  });

  it("given two accounts, then their agents have different workload names", () => {
    expect(localAgentWorkloadName(createAccount().getPublicKey())).not.toBe(
      localAgentWorkloadName(createAccount().getPublicKey()),
    );
  });
});
