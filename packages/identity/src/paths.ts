import { homedir } from "node:os";
import { join } from "node:path";

type Env = Record<string, string | undefined>;

/** The user's Natster home: contexts, catalogs and the local stack's client info. */
export const natsterHome = (env: Env = process.env): string => env.NATSTER_HOME ?? join(homedir(), ".natster");

/** Where the local stack keeps its operator, accounts, server state, logs and PIDs. */
export const stackDir = (env: Env = process.env): string => env.NATSTER_STACK_DIR ?? join(natsterHome(env), "stack");

export const stackPaths = (dir: string) => ({
  dir,
  identity: join(dir, "stack.json"),
  keys: join(dir, "keys"),
  creds: join(dir, "creds"),
  conf: join(dir, "conf"),
  jetstream: join(dir, "jetstream"),
  resolver: join(dir, "jwt"),
  run: join(dir, "run"),
  pids: join(dir, "run", "pids.json"),
  logs: join(dir, "logs"),
});

/** What `natster up` publishes for clients (`natster init` reads it with no flags). */
export const clientInfoPath = (env: Env = process.env): string => join(natsterHome(env), "stack-client.json");
