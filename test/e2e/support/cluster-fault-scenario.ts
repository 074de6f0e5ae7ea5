/**
 * The moving parts of cluster-fault.e2e.spec.ts: `natster up --cluster 3` on free ports, and the
 * ledger of alice's share bursts (which shares the CLI acknowledged, and the checks they must pass).
 */
import type { NatsConnection } from "@nats-io/nats-core";
import { Stores, type CatalogShareSummary } from "@natster/protocol";
import { notYet, until } from "@natster/test-kit";
import { expect } from "vitest";
import { freeClusterPorts, type StreamState } from "./cluster-probe.ts";
import {
  natster,
  SETUP_TIMEOUT_MS,
  succeeded,
  type CliResult,
  type E2eStack,
  type E2eUser,
  type UpInfo,
} from "./cli-e2e.ts";

export type ClusterUpInfo = UpInfo & {
  nats_urls: string[];
  ws_urls: string[];
  cluster: { servers: number; replicas: number };
};
export type Status = {
  running: boolean;
  components: { name: string; pid: number; running: boolean }[];
  cluster?: { servers: number; replicas: number };
};
export type ShareAttempt = { catalog: string; to: E2eUser; result: CliResult };

/** `natster --json up --cluster 3` on free ports, as the operator whose NATSTER_HOME is `home`. */
export async function upCluster(
  home: string,
): Promise<{ stack: E2eStack; info: ClusterUpInfo; upArgs: string[]; operatorEnv: Record<string, string> }> {
  const operatorEnv = { NATSTER_HOME: home };
  const ports = await freeClusterPorts();
  const upArgs = [
    "--json",
    "up",
    "--cluster",
    "3",
    "--port",
    String(ports.client),
    "--ws-port",
    String(ports.ws),
    "--http-port",
    String(ports.http),
    "--cluster-port",
    String(ports.cluster),
  ];
  const up = await natster(upArgs, operatorEnv, SETUP_TIMEOUT_MS);
  const info = succeeded<ClusterUpInfo>(up);
  const stack = { home, stackDir: info.stack_dir, info, down: () => natster(["--json", "down"], operatorEnv, 60_000) };
  return { stack, info, upArgs, operatorEnv };
}

export type ShareLedger = {
  /**
   * `from` shares each catalog with every recipient, one CLI call after the other, and records the
   * acknowledged ones. After the first catalog it waits for `goOn()`, so whatever the test does
   * in between (a kill) lands in the middle of the burst.
   */
  burst: (catalogs: readonly string[]) => { halfway: Promise<void>; goOn: () => void; done: Promise<void> };
  /**
   * A share asked while the cluster fails over may fail even though the CLI asks again by itself
   * for about 8 s (it is then not acknowledged, and that is allowed); once the fail-over is done,
   * asking again must work. Each failed share is asked again
   * until the CLI acknowledges it, or says it is already shared (the first attempt was recorded
   * after all, without its reply): both are then held to the same checks as the others.
   */
  askFailedAgain: () => Promise<void>;
  /** Every acknowledged share is in the event log and in its recipient's inbox. */
  expectVisible: (global: NatsConnection) => Promise<void>;
};

/** A ledger of `from`'s shares to `recipients`; acknowledged shares are appended to `acknowledged`. */
export function shareLedger(from: E2eUser, recipients: E2eUser[], acknowledged: ShareAttempt[]): ShareLedger {
  /** Shares the CLI reported as failed (e.g. asked while the event log's stream was electing a new leader). */
  let unacknowledged: { catalog: string; to: E2eUser }[] = [];

  const burst = (catalogs: readonly string[]) => {
    let reachedHalfway: () => void = () => undefined;
    let goOn: () => void = () => undefined;
    const halfway = new Promise<void>((resolve) => (reachedHalfway = resolve));
    const gate = new Promise<void>((resolve) => (goOn = resolve));
    const done = (async () => {
      for (const [i, catalog] of catalogs.entries()) {
        if (i === 1) {
          reachedHalfway();
          await gate;
        }
        for (const to of recipients) {
          const result = await from.run(["--json", "catalog", "share", catalog, to.key], 60_000);
          if (result.code === 0) acknowledged.push({ catalog, to, result });
          else {
            unacknowledged.push({ catalog, to });
            console.log(
              `[cluster-fault] share ${catalog} → ${to.name} not acknowledged: ${result.stdout.trim() || result.stderr.trim()}`,
            );
          }
        }
      }
    })();
    return { halfway, goOn, done };
  };

  const askFailedAgain = async () => {
    for (const { catalog, to } of unacknowledged) {
      const result = await until(
        async () => {
          const r = await from.run(["--json", "catalog", "share", catalog, to.key], 60_000);
          return r.code === 0 || /"DUPLICATE"/.test(r.stdout) ? r : notYet(r.stdout.trim() || r.stderr.trim());
        },
        `share ${catalog} → ${to.name} works again after the fail-over`,
        90_000,
        500,
      );
      acknowledged.push({ catalog, to, result });
    }
    if (unacknowledged.length > 0)
      console.log(
        `[cluster-fault] ${unacknowledged.length} share(s) asked during the fail-over failed; asked again, each was acknowledged`,
      );
    unacknowledged = [];
  };

  const expectVisible = async (nc: NatsConnection) => {
    const { jetstreamManager } = await import("@nats-io/jetstream");
    const jsm = await jetstreamManager(nc);
    for (const share of acknowledged) {
      const subject = `natster.events.${from.key}.${share.to.key}.${share.catalog}.catalog_shared`;
      const stored = await jsm.streams.getMessage(Stores.eventsStream, { last_by_subj: subject });
      expect(stored?.subject).toBe(subject);
    }
    for (const to of recipients) {
      const mine = acknowledged.filter((s) => s.to === to).map((s) => s.catalog);
      await until(
        async () => {
          const inbox = succeeded<{ pending: CatalogShareSummary[] }>(await to.json("catalog", "inbox"));
          const missing = mine.filter(
            (c) => !inbox.pending.some((p) => p.catalog === c && p.from_account === from.key),
          );
          return missing.length === 0 ? true : notYet(`missing ${missing.join(", ")}`);
        },
        `${to.name}'s inbox has every acknowledged share`,
        30_000,
        200,
      );
    }
  };

  return { burst, askFailedAgain, expectVisible };
}

export const sameState = (a: StreamState | undefined, b: StreamState | undefined): boolean =>
  a !== undefined &&
  b !== undefined &&
  a.messages === b.messages &&
  a.first_seq === b.first_seq &&
  a.last_seq === b.last_seq;
