import { join } from "node:path";
import { loadOrCreateNexKeys } from "nex-node";

/** Where a context's own Nex node keeps its creds, config, log, state and start lock: `<NATSTER_HOME>/node/<context>/`. */
export const userNodePaths = (home: string, context: string) => {
  const dir = join(home, "node", context);
  return {
    dir,
    creds: join(dir, "node.creds"),
    config: join(dir, "node.json"),
    log: join(dir, "node.log"),
    state: join(dir, "state.json"),
    lock: join(dir, "start.lock"),
  };
};

export type UserNodePaths = ReturnType<typeof userNodePaths>;

/** The user's own deploy keys: the issuer (the only key the user's node accepts and that can stop its workloads) and the sealing xkey. */
export const userDeployKeys = (home: string, context: string) =>
  loadOrCreateNexKeys(join(home, "keys", context, "nex"));
