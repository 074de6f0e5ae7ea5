import { createAccount, createCurve, createServer } from "@nats-io/nkeys";
import { beforeAll, describe, expect, it } from "vitest";
import { buildDeployRequest, type DeployOptions } from "../client/deploy-request.ts";
import { ALWAYS_DENIED_TRIGGER_SUBJECTS } from "../limits.ts";
import type { DeployRequest } from "./types.ts";
import { validateDeployRequest, type DeployPolicy } from "./validate-deploy.ts";

const node = createServer().getPublicKey();
const issuer = createAccount();
const policy: DeployPolicy = {
  nodeId: node,
  workloadTypes: ["native", "v8"],
  denyTriggerSubjects: ALWAYS_DENIED_TRIGGER_SUBJECTS,
  validIssuers: [],
};
const options: DeployOptions = {
  nodeId: node,
  nodeXkey: createCurve().getPublicKey(),
  issuer,
  publisher: createCurve(),
  name: "echofunctionjs",
  type: "v8",
  location: "nats://NEXCLIFILES/echofunctionjs",
  hash: "ab".repeat(32),
  triggerSubjects: ["orders.*"],
};

describe("deploy request validation", () => {
  let valid: DeployRequest;
  beforeAll(async () => {
    valid = await buildDeployRequest(options);
  });

  it("given a well-formed v8 request, when validated, then its claims, location and triggers are accepted", () => {
    const ok = validateDeployRequest(valid, policy);
    expect(ok).toMatchObject({
      id: valid.id,
      name: "echofunctionjs",
      type: "v8",
      issuer: issuer.getPublicKey(),
      location: { kind: "object", bucket: "NEXCLIFILES", key: "echofunctionjs" },
      triggerSubjects: ["orders.*"],
    });
  });

  it.each<[string, (r: DeployRequest) => DeployRequest, RegExp]>([
    ["an unsupported type", (r) => ({ ...r, type: "oci" }), /Unsupported workload type on this node: oci/],
    ["a native workload with triggers", (r) => ({ ...r, type: "native" }), /trigger subject registration: native/],
    ["a v8 workload without triggers", (r) => ({ ...r, trigger_subjects: [] }), /require at least one trigger subject/],
    [
      "a trigger on $JS",
      (r) => ({ ...r, trigger_subjects: ["$JS.API.>"] }),
      /The trigger subject \$JS\.API\.> overlaps with subject\(s\) in this node's deny list/,
    ],
    ["a malformed trigger", (r) => ({ ...r, trigger_subjects: ["a..b"] }), /invalid trigger subject/],
    ["a bad name", (r) => ({ ...r, workload_name: "echo function" }), /invalid workload name/],
    ["a hash the JWT did not sign", (r) => ({ ...r, hash: "cd".repeat(32) }), /hash claim does not match/],
    [
      "a forged JWT",
      (r) => ({ ...r, workload_jwt: `${r.workload_jwt?.slice(0, -4)}AAAA` }),
      /could not decode workload JWT/,
    ],
    ["no JWT", (r) => ({ ...r, workload_jwt: undefined }), /workload_jwt is required/],
    ["another node", (r) => ({ ...r, target_node: createServer().getPublicKey() }), /targets node/],
    ["an id other than the JWT subject", (r) => ({ ...r, id: "other" }), /does not match the workload JWT subject/],
    [
      "a location that is not an object store",
      (r) => ({ ...r, location: "https://example.com/fn.js" }),
      /nats:\/\/BUCKET\/key/,
    ],
  ])("given %s, when validated, then it is refused", (_what, tamper, message) => {
    expect(() => validateDeployRequest(tamper(valid), policy)).toThrow(message);
  });

  it("given valid_issuers, when another issuer deploys, then it is refused", () => {
    const strict = { ...policy, validIssuers: [createAccount().getPublicKey()] };
    expect(() => validateDeployRequest(valid, strict)).toThrow(`invalid workload issuer: ${issuer.getPublicKey()}`);
    expect(validateDeployRequest(valid, { ...policy, validIssuers: [issuer.getPublicKey()] }).issuer).toBe(
      issuer.getPublicKey(),
    );
  });

  it("given a node that runs only v8, when a native workload comes, then it is refused", async () => {
    const native = await buildDeployRequest({ ...options, type: "native", triggerSubjects: [] });
    expect(() => validateDeployRequest(native, { ...policy, workloadTypes: ["v8"] })).toThrow(
      /Unsupported workload type on this node: native/,
    );
    expect(validateDeployRequest(native, policy).type).toBe("native");
  });

  it("given something that is not an object, when validated, then it is refused as undeserializable", () => {
    expect(() => validateDeployRequest([], policy)).toThrow(/Unable to deserialize deploy request/);
  });
});
