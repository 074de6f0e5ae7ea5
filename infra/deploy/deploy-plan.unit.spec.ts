import { describe, expect, it } from "vitest";
import { deployOrder, derivedEnvironment, jetstreamTriggers, triggerBridges } from "./deploy-plan.ts";
import type { Nexfile } from "./nexfile.ts";

const spec = (durable: string) => ({ trigger_subject: `t.${durable}`, stream: "S", durable, filter_subjects: ["s.>"] });
const nexfile = (name: string, type: Nexfile["type"], extra: Partial<Nexfile["start_request"]> = {}): Nexfile => ({
  name,
  description: "",
  type,
  lifecycle: type === "v8" ? "function" : "service",
  tags: {},
  start_request: { uri: `nats://NEXCLIFILES/${name}`, artifact: `${name}.js`, ...extra },
});

// Names say nothing: the bridge is called "aaa" so that a name-based or alphabetical order would put it first.
const bridge = nexfile("aaa", "native", { jetstream_triggers_env: "FEED" });
const fnA = nexfile("fn-a", "v8", { trigger_subjects: ["t.A"], jetstream_trigger: spec("A") });
const fnB = nexfile("fn-b", "v8", { trigger_subjects: ["t.B"] });
const service = nexfile("zzz", "native");
const all = [bridge, fnA, service, fnB];

describe("the deploy plan of a node's Nexfiles", () => {
  it("given services, functions and a workload taking the JetStream triggers, then services go first and that workload last", () => {
    expect(deployOrder(all).map((n) => n.name)).toEqual(["zzz", "fn-a", "fn-b", "aaa"]);
  });

  it("given the Nexfiles, then the workload declaring jetstream_triggers_env gets every function's JetStream trigger in that variable", () => {
    expect(triggerBridges(all)).toEqual([bridge]);
    expect(jetstreamTriggers(all)).toEqual([spec("A")]);
    expect(JSON.parse(derivedEnvironment(bridge, all).FEED ?? "")).toEqual([spec("A")]);
  });

  it("given a Nexfile without jetstream_triggers_env, then it gets no derived environment", () => {
    for (const n of [fnA, fnB, service]) expect(derivedEnvironment(n, all)).toEqual({});
  });
});
