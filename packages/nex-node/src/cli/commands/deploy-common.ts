import type { Command } from "commander";
import type { HostServicesConnection } from "../../control/types.ts";
import { collect } from "../args.ts";

/** Options `devrun` and `run` share (nex/nex.go:104-129). */
export type WorkloadFlags = {
  type: string;
  trigger_subject?: string[];
  argv?: string;
  essential?: boolean;
  description?: string;
  hs_url?: string;
  hs_jwt?: string;
  hs_seed?: string;
};

export function addWorkloadOptions(cmd: Command, defaultType: string): Command {
  return cmd
    .option("--type <type>", "workload type: native or v8", defaultType)
    .option("--trigger_subject <subject>", "subject that triggers a v8 function (repeatable)", collect)
    .option("--argv <args>", "arguments passed to a native workload, separated by spaces")
    .option("--essential", "restart the workload when it exits (native only)")
    .option("--description <text>", "workload description")
    .option("--hs_url <url>", "host services / workload NATS URL override")
    .option("--hs_jwt <jwt>", "host services / workload user JWT override")
    .option("--hs_seed <seed>", "host services / workload user seed override");
}

export function hostServicesOverride(flags: WorkloadFlags): HostServicesConnection | undefined {
  if (!flags.hs_url) return undefined;
  return { nats_url: flags.hs_url, nats_user_jwt: flags.hs_jwt ?? "", nats_user_seed: flags.hs_seed ?? "" };
}
