export * from "./connect.ts";
export * from "./resolver.ts";
export * from "./request.ts";
export * from "./authority-client.ts";
export * from "./rate-limiter.ts";
export { repoRoot, tsxCommand } from "./source-runner.ts";
export { runWorkload, nodeProcess, type RunningWorkload, type WorkloadHost, type WorkloadLog, type WorkloadOptions } from "./run-workload.ts";
