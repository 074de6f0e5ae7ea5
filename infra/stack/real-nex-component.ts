import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseCredsText } from "@natster/node-kit";
import { credsText, readStackCreds, stackCredsPath, stackPaths } from "@natster/identity";
import { stackDeployKeys } from "./deploy-keys.ts";
import { findTool, toolsBin } from "./nats-binary.ts";
import { freePort } from "./ports.ts";
import { spawnLogged } from "./processes.ts";
import { StackError } from "./stack-error.ts";

/** The real Nex release scripts/go-tools.sh builds: the last 0.x, the only Nex with V8 functions. */
export const REAL_NEX_VERSION = "0.3.0-rc1";
export const REAL_NEX_COMMIT = "c5899ff211885083242830c27ffd089ef121feed";

/**
 * Warm nex-agents the real node keeps: one for each Nexfile and two for deploys that fail otherwise.
 * Each deploy takes one, and under load the replacement may die (real-nex-pool.ts), so `natster up`
 * must not need more than the node starts with. ≈ 6 MB of PSS each.
 */
export const REAL_NEX_POOL_SIZE = 14;

export type RealNexBinaries = { nex: string; agent: string };

/** The Go-built `nex` and `nex-agent`, or a clear error (with the reason when the build is blocked). */
export function realNexBinaries(env: Record<string, string | undefined> = process.env): RealNexBinaries {
  const nex = findTool("nex", env);
  const agent = findTool("nex-agent", env);
  if (nex && agent) return { nex, agent };
  const blocked = join(toolsBin, "nex.blocked");
  const why = existsSync(blocked)
    ? `\n${readFileSync(blocked, "utf8").trim()}`
    : " (run scripts/setup.sh: it builds them into .tools/bin)";
  throw new StackError("REAL_NEX_MISSING", `real Nex needs the nex and nex-agent binaries${why}`);
}

/**
 * The real node's config: no sandbox (nex-agent runs as a process from PATH), native and v8 workloads,
 * and everything that would be machine-global (internal NATS port, pid file, resources) inside the stack dir,
 * so several stacks can run on one machine.
 */
export function realNodeConfig(
  dir: string,
  internalPort: number,
  hostServices: { nats_url: string; nats_user_jwt: string; nats_user_seed: string },
  validIssuers: readonly string[],
) {
  const nexDir = join(dir, "nex");
  return {
    no_sandbox: true,
    // Only these deploy keys may run code here: holding the global creds is not enough.
    valid_issuers: [...validIssuers],
    workload_types: ["native", "v8"],
    tags: { "natster.stack": "local", "natster.nex": "real" },
    internal_node_host: "127.0.0.1",
    internal_node_port: internalPort,
    internal_node_store_dir: join(nexDir, "internal"),
    pid_filepath: join(nexDir, "nex.pid"),
    default_resource_dir: join(nexDir, "resources"),
    bin_path: [toolsBin],
    machine_pool_size: REAL_NEX_POOL_SIZE,
    // How soon the node drops an agent that never handshook (real-nex-pool.ts). A live agent handshakes
    // within ≈ 2 s of the node's subscription or gives up; the default 5 s was shorter than an agent's
    // start on a loaded machine, and a missed first handshake shuts the node down (the stack restarts it).
    agent_handshake_timeout_ms: 10_000,
    // Every catalog server is the same artifact (one workload per catalog): no-sandbox nodes refuse a second
    // workload with the same hash in a namespace unless duplicates are allowed.
    allow_duplicate_workloads: true,
    // Host services (and the triggers) of a workload without its own identity connect as the node's user,
    // as on the local node; without this, real Nex connects anonymously and operator mode refuses it.
    host_services_config: {
      nats: hostServices,
      services: {
        http: { enabled: true },
        kv: { enabled: true },
        messaging: { enabled: true },
        objectstore: { enabled: true },
      },
    },
    node_limits: { max_workloads: 64 },
  };
}

/** Debug, because only the debug log tells when an agent has handshaken (see real-nex-pool.ts). */
export const REAL_NEX_LOGLEVEL = "debug";

export const realNexLogPath = (dir: string) => join(stackPaths(dir).logs, "nex-node.log");

/** Starts `nex node up` (real Nex 0.x) as the NATSTER_GLOBAL service user, detached; returns its PID. */
export async function spawnRealNexNode(
  dir: string,
  natsUrl: string,
): Promise<{ pid: number; marker: string; logPath: string }> {
  const bins = realNexBinaries();
  const paths = stackPaths(dir);
  const config = join(paths.conf, "real-nex-node.json");
  const home = join(dir, "nex");
  mkdirSync(join(home, "resources"), { recursive: true });
  const { jwt, seed } = parseCredsText(credsText(readStackCreds(dir, "global")));
  const hostServices = { nats_url: natsUrl, nats_user_jwt: jwt, nats_user_seed: seed };
  writeFileSync(
    config,
    JSON.stringify(
      realNodeConfig(dir, await freePort(), hostServices, [stackDeployKeys(dir).issuer.getPublicKey()]),
      null,
      2,
    ) + "\n",
    { mode: 0o600 },
  );
  const agentDir = bins.agent.slice(0, bins.agent.lastIndexOf("/"));
  const logPath = realNexLogPath(dir);
  // A fresh log per node process (the last one is kept beside it), so what it says is about this node.
  if (existsSync(logPath)) renameSync(logPath, `${logPath}.previous`);
  const pid = spawnLogged({
    command: bins.nex,
    args: ["-s", natsUrl, "--creds", stackCredsPath(dir, "global"), "node", "up", "--config", config],
    logPath,
    // nex-agent must be on the node's PATH: in no_sandbox mode the node execs it for every workload.
    env: { PATH: `${agentDir}:/usr/local/bin:/usr/bin:/bin`, HOME: home, NEX_LOGLEVEL: REAL_NEX_LOGLEVEL },
    detached: true,
    cwd: home,
  });
  return { pid, marker: config, logPath };
}
