import {
  JetStreamApiCodes,
  JetStreamApiError,
  jetstreamManager,
  type ConsumerInfo,
  type JetStreamManager,
} from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { TimeoutError, type NatsConnection } from "@nats-io/nats-core";
import { CONFIG_KEY, Stores, type GlobalConfig } from "@natster/protocol";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { deployNexfile } from "../deploy/deploy.ts";
import { derivedEnvironment, jetstreamTriggers, triggerBridges } from "../deploy/deploy-plan.ts";
import { loadNexfiles, type Nexfile } from "../deploy/nexfile.ts";
import { pingNodes, readSeedFile, stopWorkload, workloadPing } from "nex-node";
import { NEX_NAMESPACE } from "../stack/nex-component.ts";
import { stackPaths } from "@natster/identity";
import { repoRoot } from "@natster/node-kit";
import { PROJECTION_BUCKETS, provisionGlobal } from "./provision.ts";

/**
 * Rebuilding the projections from the event log.
 *
 * The trigger bridge does recover on its own from a durable deleted under it (its fetch fails and
 * its loop re-creates the consumer from the stream's start), but a rebuild cannot rely on that:
 * while it runs, every order of "delete the consumers" and "empty the buckets" is racy. An event
 * applied between the two steps either lands in a bucket that is then emptied (lost: the new
 * consumer is already past it) or writes a key with a high `applied_seq` into an empty bucket (the
 * replay then skips every earlier event for that key). So the bridge is stopped first, through the
 * Nex control API with the stack's deploy issuer, and deployed again once the stores are clean.
 */

export type BridgeInstance = { nodeId: string; workloadId: string };

/** Where the stack's deploy keys are and which bridge config to deploy; a `natster up` stack dir. */
export type BridgeControl = {
  /** The stack dir: `keys/nex-issuer.nk` (the only key allowed to stop the bridge) and `keys/nex-publisher.xk`. */
  stackDir: string;
  /** The NATS URL the redeployed bridge connects to (the one `natster up` deployed it with). */
  natsUrl: string;
  /** Default: the node the bridge ran on, else the local stack's node. */
  nodeId?: string;
  namespace?: string;
  /** Where the Nexfiles are; default `<repo>/nexfiles`. */
  nexfilesDir?: string;
};

export type CatchUpProgress = { durable: string; acked: number; pending: number; last_seq: number; exists: boolean };

export type RebuildOptions = BridgeControl & {
  /** How long the replay may take once the bridge runs again; default 10 minutes. */
  timeoutMs?: number;
  /** Called on every poll of the consumers (about 20 times a second: the replay is over within a poll). */
  onProgress?: (progress: CatchUpProgress[]) => void;
  /** One line per step. */
  log?: (line: string) => void;
};

export type RebuildResult = { events: number; seconds: number };

function deployKeys(stackDir: string) {
  const keys = stackPaths(stackDir).keys;
  const issuerFile = join(keys, "nex-issuer.nk");
  const publisherFile = join(keys, "nex-publisher.xk");
  for (const file of [issuerFile, publisherFile]) {
    if (!existsSync(file))
      throw new Error(
        `${file} is missing: only the stack that deployed the trigger bridge (natster up) can restart it`,
      );
  }
  return { issuer: readSeedFile(issuerFile, "account"), publisher: readSeedFile(publisherFile, "curve") };
}

const defaultNexfilesDir = () => join(repoRoot, "nexfiles");

/** The trigger bridge's Nexfile (the one that takes the functions' JetStream triggers) and the env it is deployed with. */
function bridgeNexfile(dir = defaultNexfilesDir()): { nexfile: Nexfile; env: Record<string, string> } {
  const nexfiles = loadNexfiles(dir);
  const [nexfile, ...more] = triggerBridges(nexfiles);
  if (!nexfile || more.length > 0)
    throw new Error(`${dir} must hold exactly one Nexfile with jetstream_triggers_env (the trigger bridge)`);
  return { nexfile, env: derivedEnvironment(nexfile, nexfiles) };
}

/** The durables the bridge keeps on NATSTER_EVENTS (PROJECTIONS, shared by both projections), from the function Nexfiles. */
export function projectionDurables(nexfilesDir = defaultNexfilesDir()): string[] {
  const durables = jetstreamTriggers(loadNexfiles(nexfilesDir))
    .filter((s) => s.stream === Stores.eventsStream)
    .map((s) => s.durable);
  return [...new Set(durables)];
}

/** The durable of each projection before they shared one: a rebuild deletes them too, so none lingers. */
const FORMER_DURABLES = ["PROJ_ACCOUNT", "PROJ_CATALOG"];

/** Every running trigger bridge in the namespace. */
export async function findBridge(
  nc: NatsConnection,
  namespace = NEX_NAMESPACE,
  nexfilesDir?: string,
): Promise<BridgeInstance[]> {
  const { name } = bridgeNexfile(nexfilesDir).nexfile;
  const pings = await workloadPing(nc, namespace, name, 1000);
  return pings.flatMap((p) =>
    p.running_machines.filter((m) => m.name === name).map((m) => ({ nodeId: p.node_id, workloadId: m.id })),
  );
}

/**
 * Stops every running trigger bridge (the node waits for the process to exit: it finishes the
 * message in hand first). Returns what was stopped.
 */
export async function stopBridge(
  nc: NatsConnection,
  control: Pick<BridgeControl, "stackDir" | "namespace" | "nexfilesDir">,
): Promise<BridgeInstance[]> {
  const namespace = control.namespace ?? NEX_NAMESPACE;
  const { issuer } = deployKeys(control.stackDir);
  const running = await findBridge(nc, namespace, control.nexfilesDir);
  for (const b of running) {
    const reply = await stopWorkload(nc, {
      namespace,
      nodeId: b.nodeId,
      workloadId: b.workloadId,
      issuer,
      timeout: 15_000,
    });
    if (!reply.stopped) throw new Error(`the Nex node ${b.nodeId} did not stop the trigger bridge (${b.workloadId})`);
  }
  return running;
}

async function pickNode(nc: NatsConnection, wanted: string | undefined): Promise<string> {
  if (wanted) return wanted;
  const nodes = await pingNodes(nc, 1000);
  const local = nodes.filter((n) => n.tags?.["natster.stack"] === "local");
  const candidates = local.length > 0 ? local : nodes;
  if (candidates.length === 1 && candidates[0]) return candidates[0].node_id;
  throw new Error(
    candidates.length === 0
      ? "no Nex node answers $NEX.PING: is the stack up? (natster status)"
      : `${candidates.length} Nex nodes answer: say which one runs the trigger bridge`,
  );
}

/** Deploys the trigger bridge with the JetStream triggers of the function Nexfiles, as `natster up` does. Returns its workload id. */
export async function deployBridge(nc: NatsConnection, control: BridgeControl): Promise<string> {
  const { nexfile, env } = bridgeNexfile(control.nexfilesDir);
  const nodeId = await pickNode(nc, control.nodeId);
  const target = {
    nc,
    nodeId,
    namespace: control.namespace ?? NEX_NAMESPACE,
    natsUrl: control.natsUrl,
    ...deployKeys(control.stackDir),
    identities: {},
    vars: { NATSTER_STACK_DIR: control.stackDir },
  };
  return deployNexfile(target, nexfile, env);
}

const isApiError = (e: unknown, code: number) => e instanceof JetStreamApiError && e.code === code;

async function consumerInfo(jsm: JetStreamManager, durable: string): Promise<ConsumerInfo | undefined> {
  return jsm.consumers.info(Stores.eventsStream, durable).catch((e: unknown) => {
    if (isApiError(e, JetStreamApiCodes.ConsumerNotFound)) return undefined;
    throw e;
  });
}

/**
 * Waits until every durable exists and has acknowledged the stream up to its last sequence
 * (num_pending 0, nothing in flight, ack floor at the last sequence). The last sequence is read
 * again on every poll, so events appended meanwhile are waited for too. Returns the stream state.
 */
export async function waitForCatchUp(
  nc: NatsConnection,
  opts: {
    durables: readonly string[];
    timeoutMs: number;
    onProgress?: (p: CatchUpProgress[]) => void;
    pollMs?: number;
  },
): Promise<{ last_seq: number; messages: number }> {
  const jsm = await jetstreamManager(nc);
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    // A busy server may miss an info request: that poll is skipped, the deadline still holds.
    const polled = await pollProgress(jsm, opts.durables).catch((e: unknown) => {
      if (e instanceof TimeoutError || (e as { cause?: unknown }).cause instanceof TimeoutError) return undefined;
      throw e;
    });
    if (!polled) {
      if (Date.now() > deadline)
        throw new Error(
          `the projections did not catch up with ${Stores.eventsStream} within ${opts.timeoutMs} ms (JetStream API requests time out)`,
        );
      continue;
    }
    const { state, progress } = polled;
    opts.onProgress?.(progress);
    if (progress.every((p) => p.exists && p.pending === 0 && p.acked >= state.last_seq))
      return { last_seq: state.last_seq, messages: state.messages };
    if (Date.now() > deadline) {
      const where = progress.map((p) =>
        p.exists ? `${p.durable} acked ${p.acked}/${p.last_seq}, ${p.pending} pending` : `${p.durable} does not exist`,
      );
      throw new Error(
        `the projections did not catch up with ${Stores.eventsStream} within ${opts.timeoutMs} ms: ${where.join("; ")} ` +
          `(is the trigger bridge running? natster status; parked events: NATSTER_DEAD_LETTERS)`,
      );
    }
    await sleep(opts.pollMs ?? 50);
  }
}

async function pollProgress(jsm: JetStreamManager, durables: readonly string[]) {
  const { state } = await jsm.streams.info(Stores.eventsStream);
  const progress: CatchUpProgress[] = [];
  for (const durable of durables) {
    const info = await consumerInfo(jsm, durable);
    progress.push({
      durable,
      exists: info !== undefined,
      acked: info?.ack_floor.stream_seq ?? 0,
      pending: info ? info.num_pending + info.num_ack_pending : state.messages,
      last_seq: state.last_seq,
    });
  }
  return { state, progress };
}

/** Creates any missing store with its provisioning config (a deleted projection bucket comes back as it was). */
async function ensureProvisioned(nc: NatsConnection): Promise<void> {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.info(Stores.eventsStream).catch((e: unknown) => {
    if (isApiError(e, JetStreamApiCodes.StreamNotFound))
      throw new Error(`there is no ${Stores.eventsStream} stream: the global service is not provisioned (natster up)`);
    throw e;
  });
  const settings = await new Kvm(nc).open(Stores.config);
  const entry = await settings.get(CONFIG_KEY).catch(() => null);
  if (!entry || entry.operation !== "PUT")
    throw new Error(`${Stores.config}/${CONFIG_KEY} is missing: the global service is not provisioned (natster up)`);
  await provisionGlobal(nc, entry.json<GlobalConfig>());
}

/** Empties a projection bucket: its stream is purged (no delete markers left), its config kept. */
async function purgeBucket(jsm: JetStreamManager, bucket: string): Promise<void> {
  await jsm.streams.purge(`KV_${bucket}`);
}

/**
 * `natster admin rebuild-projections`: stops the trigger bridge, deletes its durables on
 * NATSTER_EVENTS, empties PROJ_ACCOUNT, PROJ_CATALOG and PROJ_STATS (re-creating a missing one),
 * deploys the bridge again, and waits until it has replayed the whole log.
 *
 * `nc` is a NATSTER_GLOBAL connection (the Nex control subjects, the stream and the buckets live
 * there). While the rebuild runs, the API answers from half-built projections; the log stays the
 * truth and appends keep working.
 */
export async function rebuildProjections(nc: NatsConnection, opts: RebuildOptions): Promise<RebuildResult> {
  const log = opts.log ?? (() => undefined);
  const started = Date.now();
  const durables = projectionDurables(opts.nexfilesDir);
  await ensureProvisioned(nc);
  const jsm = await jetstreamManager(nc);

  const stopped = await stopBridge(nc, opts);
  log(
    stopped.length > 0
      ? `stopped the trigger bridge (${stopped.map((s) => s.workloadId).join(", ")})`
      : `the trigger bridge was not running`,
  );
  // Every node that ran a bridge gets one back (several global Nex nodes each run one).
  const nodes = opts.nodeId ? [opts.nodeId] : [...new Set(stopped.map((b) => b.nodeId))];
  const controls: BridgeControl[] = (nodes.length > 0 ? nodes : [undefined]).map((nodeId) => ({ ...opts, nodeId }));
  const redeploy = async () => {
    const ids: string[] = [];
    for (const control of controls) ids.push(await deployBridge(nc, control));
    return ids;
  };
  try {
    for (const durable of new Set([...durables, ...FORMER_DURABLES])) {
      await jsm.consumers.delete(Stores.eventsStream, durable).catch((e: unknown) => {
        if (!isApiError(e, JetStreamApiCodes.ConsumerNotFound)) throw e;
      });
    }
    log(`deleted the consumers ${durables.join(", ")} on ${Stores.eventsStream}`);
    for (const bucket of [...PROJECTION_BUCKETS, Stores.cursors]) await purgeBucket(jsm, bucket);
    log(`emptied ${PROJECTION_BUCKETS.join(", ")} and ${Stores.cursors}`);
  } catch (e) {
    // Never leave the stack without its bridge: the projections would silently stop.
    await redeploy().catch(() => undefined);
    throw e;
  }
  const ids = await redeploy();
  log(`deployed the trigger bridge (${ids.join(", ")}); replaying ${Stores.eventsStream}`);
  const { messages } = await waitForCatchUp(nc, {
    durables,
    timeoutMs: opts.timeoutMs ?? 10 * 60_000,
    onProgress: opts.onProgress,
  });
  return { events: messages, seconds: Math.round((Date.now() - started) / 10) / 100 };
}
