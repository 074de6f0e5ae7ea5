import type { NatsConnection } from "@nats-io/nats-core";
import { chmod, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fetchArtifact } from "./artifacts/fetch.ts";
import { openEnvironment } from "./control/env-seal.ts";
import { hostServicesFromEnv } from "./control/host-services-env.ts";
import type { RunResponse } from "./control/types.ts";
import { DeployRefusedError, validateDeployRequest, type ValidatedDeploy } from "./control/validate-deploy.ts";
import { hostServices } from "./host-services/dispatcher.ts";
import { checkExecutable, nativeCommand, nativeEnvironment, type WorkloadIdentity } from "./native/env.ts";
import { startNativeWorkload } from "./native/process-workload.ts";
import type { NodeRuntime } from "./runtime.ts";
import { startFunctionWorkload } from "./v8/function-workload.ts";
import { checkV8Script } from "./v8/script-check.ts";
import { connectAs, resolveWorkloadIdentity } from "./workload-identity.ts";

/** Handles one `$NEX.DEPLOY.<ns>.<node>` request end to end; refusals throw with the envelope's error. */
export async function runDeployRequest(rt: NodeRuntime, namespace: string, raw: unknown): Promise<RunResponse> {
  if (rt.stopping) throw new DeployRefusedError("the node is stopping");
  const { workloadTypes, denyTriggerSubjects, validIssuers } = rt.config;
  const req = validateDeployRequest(raw, { nodeId: rt.nodeId, workloadTypes, denyTriggerSubjects, validIssuers });
  if (rt.registry.get(req.id)) throw new DeployRefusedError(`workload ${req.id} is already running`);
  if (rt.registry.count >= rt.config.limits.maxWorkloads)
    throw new DeployRefusedError("node limit reached: max_workloads");
  const env = refuseOnError("Failed to decrypt environment for deploy request", () =>
    openEnvironment(rt.xkey, req.senderXkey, req.sealedEnvironment),
  );
  const bytes = await fetchArtifact(rt.nc, req.location, req.hash, req.jsDomain).catch((e: Error) => {
    throw new DeployRefusedError(`Failed to cache workload bytes: ${e.message}`);
  });
  if (bytes.byteLength > rt.config.limits.maxWorkloadBytes)
    throw new DeployRefusedError("node limit reached: max_workload_bytes");
  if (rt.registry.totalBytes + bytes.byteLength > rt.config.limits.maxTotalBytes)
    throw new DeployRefusedError("node limit reached: max_total_bytes");
  const source =
    req.type === "v8" ? refuseOnError("Invalid v8 workload", () => checkV8Script(bytes, `${req.name}.js`)) : undefined;

  // Without an identity of its own, a workload shares the node's connection. The sealed one wins:
  // our deployers never send creds in the clear `host_services_config`.
  const identity = resolveWorkloadIdentity(
    hostServicesFromEnv(env) ?? req.hostServices,
    rt.config.hostServicesNats,
    rt.nodeIdentity,
  );
  const conn: NatsConnection = identity
    ? await connectAs(identity, `nex-workload-${req.name}`).catch((e: Error) => {
        throw new DeployRefusedError(`Unable to deploy workload: cannot connect as the workload's user: ${e.message}`);
      })
    : rt.nc;
  const closeConn = async () => {
    if (conn !== rt.nc) await conn.close().catch(() => undefined);
  };
  try {
    const running =
      source !== undefined
        ? await startFunctionWorkload(
            { id: req.id, name: req.name, namespace, source, triggerSubjects: req.triggerSubjects },
            {
              pool: rt.pool,
              conn,
              host: hostServices(conn, rt.config.hostServices),
              emit: rt.emit,
              log: rt.logWorkload,
            },
          )
        : await startNative(rt, req, namespace, bytes, env, identity);
    rt.registry.add({
      id: req.id,
      name: req.name,
      namespace,
      type: req.type,
      hash: req.hash,
      issuer: req.issuer,
      jwtId: req.claims.jti,
      description: req.description,
      essential: req.essential,
      bytes: bytes.byteLength,
      startedAt: new Date(),
      stop: async () => {
        await running.stop();
        await closeConn();
      },
    });
  } catch (e) {
    await closeConn();
    throw new DeployRefusedError(`Unable to deploy workload: ${(e as Error).message}`);
  }
  rt.emit(namespace, "workload_deployed", {
    workload_id: req.id,
    workload_name: req.name,
    namespace,
    workload_type: req.type,
  });
  rt.log("info", `deployed ${req.type} workload ${req.name} (${req.id}) in namespace ${namespace}`);
  return { id: req.id, issuer: req.issuer, name: req.name, started: true };
}

async function startNative(
  rt: NodeRuntime,
  req: ValidatedDeploy,
  namespace: string,
  bytes: Uint8Array,
  env: Record<string, string>,
  identity: WorkloadIdentity | undefined,
) {
  const fromFile = req.location.kind === "file";
  const path = req.location.kind === "file" ? req.location.path : join(rt.tempDir, `workload-${req.id}`);
  const { command, args } = nativeCommand(path, req.argv, fromFile, process.execPath);
  if (command === path) checkExecutable(bytes);
  if (!fromFile) {
    await writeFile(path, bytes, { mode: 0o755 });
    await chmod(path, 0o755); // the umask may have narrowed the mode
  }
  const servers = identity?.servers ?? `nats://${rt.nc.getServer()}`;
  const workload = await startNativeWorkload(
    {
      id: req.id,
      name: req.name,
      namespace,
      command,
      args,
      env: nativeEnvironment(env, identity ?? { servers }),
      essential: req.essential,
    },
    {
      emit: rt.emit,
      log: rt.logWorkload,
      policy: rt.restartPolicy,
      onEnded: (reason) => {
        const gone = rt.registry.remove(req.id);
        if (!gone) return;
        gone.stop().catch((e: Error) => rt.log("warn", `cleanup of ${req.name} failed: ${e.message}`));
        rt.emit(namespace, "workload_undeployed", { workload_id: req.id, workload_name: req.name, namespace, reason });
      },
    },
  );
  return {
    async stop() {
      await workload.stop();
      if (!fromFile) await rm(path, { force: true });
    },
  };
}

function refuseOnError<T>(prefix: string, work: () => T): T {
  try {
    return work();
  } catch (e) {
    throw new DeployRefusedError(`${prefix}: ${(e as Error).message}`);
  }
}
