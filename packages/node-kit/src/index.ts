export * from "./connect.ts";
export * from "./resolver.ts";
/** The envelope request/reply is part of the wire contract; node-kit users may import it from here too. */
export { requestEnvelope } from "@natster/protocol";
export * from "./authority-client.ts";
export * from "./rate-limiter.ts";
export { repoRoot, tsxCommand } from "./source-runner.ts";
export {
  runWorkload,
  nodeProcess,
  type RunningWorkload,
  type WorkloadHost,
  type WorkloadLog,
  type WorkloadOptions,
} from "./run-workload.ts";
export { FORBIDDEN, encodeJson, failureOf, respondBytes, respondEnvelope, outcomeOf } from "./respond.ts";
export { serveSubject, type RequestHandler } from "./serve-subject.ts";
export { ownerAccountFromEnv, accountOfUserJwt } from "./workload-account.ts";
