import type { NatsConnection } from "@nats-io/nats-core";
import { nexSubjects } from "../control/subjects.ts";
import type { RunResponse } from "../control/types.ts";
import { controlRequest, DEFAULT_TIMEOUT_MS, nodeInfo } from "./control-client.ts";
import { buildDeployRequest, type DeployOptions } from "./deploy-request.ts";

export type DeployWorkloadOptions = Omit<DeployOptions, "nodeXkey"> & {
  namespace: string;
  nodeXkey?: string;
  timeout?: number;
};

/** Deploys to one node (looking up its xkey when not given) and returns the node's run response. */
export async function deployWorkload(
  nc: NatsConnection,
  opts: DeployWorkloadOptions,
): Promise<RunResponse & { request_id: string }> {
  const timeout = opts.timeout ?? DEFAULT_TIMEOUT_MS;
  const nodeXkey = opts.nodeXkey ?? (await nodeInfo(nc, opts.namespace, opts.nodeId, timeout)).public_xkey;
  const request = await buildDeployRequest({ ...opts, nodeXkey });
  // Artifact download and start-up happen before the node answers, hence the longer wait.
  const reply = await controlRequest<RunResponse>(
    nc,
    nexSubjects.deploy(opts.namespace, opts.nodeId),
    request,
    timeout + 10_000,
  );
  return { ...reply, request_id: request.id ?? reply.id };
}
