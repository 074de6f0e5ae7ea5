import { Command } from "commander";
import { registerDevrun } from "./commands/devrun.ts";
import { registerMonitors } from "./commands/monitor.ts";
import { registerNode } from "./commands/node.ts";
import { registerRun } from "./commands/run.ts";
import { registerStop } from "./commands/stop.ts";
import type { GlobalFlags } from "./context.ts";
import { reportError } from "./output.ts";
import { NEX_VERSION } from "../limits.ts";

const program = new Command()
  .name("nex")
  .description("The local Nex node and its CLI, speaking the Nex 0.x control protocol")
  .version(NEX_VERSION)
  .option("-s, --server <url>", "NATS server URL", process.env.NATS_URL)
  .option("--creds <file>", "NATS user credentials file")
  .option("--namespace <ns>", "namespace of the workloads", process.env.NEX_NAMESPACE ?? "default")
  .option("--timeout <duration>", "time to wait for answers, e.g. 2s or 500ms", "5s")
  .option("--json", "machine-readable output")
  .showHelpAfterError();

const globals = () => program.opts<GlobalFlags>();
registerDevrun(program, globals);
registerRun(program, globals);
registerStop(program, globals);
registerNode(program, globals);
registerMonitors(program, globals);

program.parseAsync(process.argv).catch((e: unknown) => reportError(e, globals().json === true));
