import { Command } from "commander";
import { registerAdminCommands } from "./commands/admin.ts";
import { registerCatalogCommands } from "./commands/catalog/index.ts";
import { registerInit } from "./commands/init.ts";
import { registerLogin } from "./commands/login.ts";
import { registerLogout } from "./commands/logout.ts";
import { registerNodeCommands } from "./commands/node.ts";
import { registerStackCommands } from "./commands/stack.ts";
import { registerWhoami } from "./commands/whoami.ts";
import { checkContextName } from "./context/context-store.ts";
import { reportError, type GlobalOptions } from "./output.ts";
import { guardHome } from "./security/home-guard.ts";
import { natsterHome, stackDir, stackPaths } from "@natster/identity";
import { join } from "node:path";

const program = new Command()
  .name("natster")
  .description("Secure peer-to-peer media sharing built on nothing but NATS")
  .version("0.1.0")
  .option("--json", "machine-readable output")
  .option("--context <name>", "the context to use", "default")
  .option(
    "-s, --server <url>",
    "NATS server URL, or several comma-separated (default: every server of the stack `natster up` started)",
    process.env.NATS_URL,
  )
  .showHelpAfterError();

const globals = (): GlobalOptions => program.opts<GlobalOptions>();
/** The operator's commands: only these touch the stack's dir (user-side commands never look at it). */
const OPERATOR_COMMANDS = new Set(["up", "down", "status", "admin"]);
const topLevelName = (c: Command): string => (c.parent && c.parent !== program ? topLevelName(c.parent) : c.name());

program.hook("preAction", (_program, action) => {
  checkContextName(globals().context ?? "default");
  const home = natsterHome(process.env);
  const stack = OPERATOR_COMMANDS.has(topLevelName(action)) ? stackPaths(stackDir(process.env)) : undefined;
  const guarded = [join(home, "keys"), join(home, "node"), ...(stack ? [stack.keys, stack.creds] : [])];
  guardHome(home, guarded, (line) => process.stderr.write(`${line}\n`));
});
registerStackCommands(program, globals);
registerInit(program, globals);
registerWhoami(program, globals);
registerLogin(program, globals);
registerLogout(program, globals);
registerCatalogCommands(program, globals);
registerNodeCommands(program, globals);
registerAdminCommands(program, globals);

program.parseAsync(process.argv).catch((e: unknown) => reportError(e, globals().json === true));
