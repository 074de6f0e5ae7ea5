import type { StopRequest, StopResponse } from "./control/types.ts";
import { verifyWorkloadJwt, type WorkloadClaims } from "./control/workload-jwt.ts";
import type { NodeRuntime } from "./runtime.ts";

export class StopRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StopRefusedError";
  }
}

/**
 * Handles `$NEX.STOP.<ns>.<node>` (controlapi.go handleStop, control-api/stop.go Validate): only the
 * issuer that deployed a workload may stop it, with a freshly signed JWT for that workload.
 */
export async function runStopRequest(rt: NodeRuntime, namespace: string, raw: unknown): Promise<StopResponse> {
  const req = raw as Partial<StopRequest> | null;
  if (typeof req?.workload_id !== "string" || typeof req.workload_jwt !== "string") {
    throw new StopRefusedError("Unable to deserialize stop request: workload_id and workload_jwt are required");
  }
  const workload = rt.registry.get(req.workload_id);
  // A workload of another namespace is reported missing, so ids cannot be probed across namespaces.
  if (!workload || workload.namespace !== namespace) throw new StopRefusedError("No such workload");
  let claims: WorkloadClaims;
  try {
    claims = verifyWorkloadJwt(req.workload_jwt);
  } catch (e) {
    throw new StopRefusedError(`Invalid stop request: ${(e as Error).message}`);
  }
  if (claims.jti === workload.jwtId) {
    throw new StopRefusedError(
      "Invalid stop request: stop claims appear to be cloned or captured from the original start claims. Rejecting for security reasons",
    );
  }
  if (claims.id !== workload.id && claims.id !== workload.name) {
    throw new StopRefusedError(
      "Invalid stop request: stop claims subject does not match original start claims subject",
    );
  }
  if (claims.issuer !== workload.issuer) {
    throw new StopRefusedError(
      "Invalid stop request: the only entity allowed to terminate a workload is the issuer that originally started it",
    );
  }
  rt.registry.remove(workload.id);
  await workload.stop();
  rt.emit(namespace, "workload_undeployed", {
    workload_id: workload.id,
    workload_name: workload.name,
    namespace,
    reason: "stopped",
  });
  rt.log("info", `stopped workload ${workload.name} (${workload.id})`);
  return { id: workload.id, issuer: workload.issuer, name: workload.name, stopped: true };
}
