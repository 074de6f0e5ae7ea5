import { describe, expect, it } from "vitest";
import { resolveNodeConfig } from "./config.ts";

describe("node config", () => {
  it("given nothing, when resolved, then the node runs native and v8 with the 0.x host defaults", () => {
    const config = resolveNodeConfig();
    expect(config.workloadTypes).toEqual(["native", "v8"]);
    expect(config.denyTriggerSubjects).toEqual(["$SYS.>", "$JS.>", "$NEX.>"]);
    expect(config.hostServices).toMatchObject({
      kvMaxBytes: 524_288,
      objectMaxBytes: 524_288,
      requestTimeoutMs: 750,
      autoProvision: true,
    });
    expect(config.limits.maxWorkloads).toBe(Number.POSITIVE_INFINITY);
  });

  it("given the fields users know, when resolved, then each is honoured and the built-in deny list stays", () => {
    const config = resolveNodeConfig({
      workload_types: ["v8"],
      no_sandbox: true,
      tags: { zone: "a" },
      deny_trigger_subjects: ["secret.>"],
      valid_issuers: ["AISSUER"],
      node_limits: { max_workloads: 3 },
      host_services_config: {
        nats: { nats_url: "nats://hs:4222", nats_user_jwt: "jwt", nats_user_seed: "seed" },
        services: { http: { enabled: false }, messaging: { enabled: true, config: { request_timeout_ms: 2_000 } } },
      },
    });
    expect(config).toMatchObject({
      workloadTypes: ["v8"],
      tags: { zone: "a" },
      validIssuers: ["AISSUER"],
      limits: { maxWorkloads: 3 },
    });
    expect(config.denyTriggerSubjects).toEqual(["$SYS.>", "$JS.>", "$NEX.>", "secret.>"]);
    expect(config.hostServicesNats).toEqual({ url: "nats://hs:4222", jwt: "jwt", seed: "seed" });
    expect(config.hostServices.enabled.http).toBe(false);
    expect(config.hostServices.requestTimeoutMs).toBe(2_000);
  });

  it("given sandbox mode or a type this node cannot run, when resolved, then it fails with what to change", () => {
    expect(() => resolveNodeConfig({ no_sandbox: false })).toThrow(/set "no_sandbox": true/);
    expect(() => resolveNodeConfig({ workload_types: ["native", "wasm"] })).toThrow(/unsupported workload_types wasm/);
  });
});
