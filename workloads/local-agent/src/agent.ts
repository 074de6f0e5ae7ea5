import type { Msg, NatsConnection, Subscription } from "@nats-io/nats-core";
import {
  HeartbeatSubjects,
  LOCAL_SERVICES,
  LOCAL_SERVICES_QUEUE,
  localEventSubject,
  type Heartbeat,
} from "@natster/protocol";
import { fetchMyShares, importSharedCatalog, ownerImportPorts, handleLocalService } from "@natster/sharing";
import { outcomeOf, respondEnvelope, serveSubject } from "@natster/node-kit";
import { ServedCatalogs } from "./served-catalogs.ts";

/** Published once subscribed, so an open page reads its inbox at once instead of at its next poll. */
export const AGENT_UP_SUBJECT = localEventSubject("agent_up");

export type LocalAgentOptions = {
  /** A connection as a user of the owner's account (the user's own Nex node gives one). */
  nc: NatsConnection;
  /** NATSTER_HOME: the account key and `<context>.context` the import signs with and records in. */
  home: string;
  contextName: string;
  accountKey: string;
  log: (line: string) => void;
};

export type LocalAgent = { stop(): Promise<void> };

/**
 * The user's local agent: `natster.local.inbox` and `natster.local.import` (the page's Import
 * button) whenever the user's node runs, with or without a catalog server. It shares the catalog
 * servers' queue group and answers exactly as they do, through the same use cases.
 */
export async function startLocalAgent(opts: LocalAgentOptions): Promise<LocalAgent> {
  const { nc, log } = opts;
  const served = new ServedCatalogs(opts.accountKey);
  const fetchShares = () => fetchMyShares(nc);
  const importPorts = ownerImportPorts(nc, opts.home, opts.contextName);

  const local = async (msg: Msg): Promise<string> => {
    const envelope = await handleLocalService(
      msg.subject,
      {
        fetchShares,
        importCatalog: (wanted) => importSharedCatalog(importPorts, wanted),
        home: opts.home,
        contextName: opts.contextName,
        owner: opts.accountKey,
        servedCatalogs: () => served.list(Date.now()),
      },
      msg.data,
    );
    respondEnvelope(msg, envelope);
    return outcomeOf(envelope);
  };

  const beats = (subject: string, apply: (beat: Partial<Heartbeat>) => void): Subscription =>
    nc.subscribe(subject, {
      callback: (err, msg) => {
        if (err) return;
        try {
          apply(msg.json<Partial<Heartbeat>>());
        } catch {
          // Not JSON: not a heartbeat.
        }
      },
    });

  const subscriptions = [
    serveSubject(nc, LOCAL_SERVICES, LOCAL_SERVICES_QUEUE, "local", local, log),
    beats(HeartbeatSubjects.localHeartbeat, (beat) => served.heartbeat(beat, Date.now())),
    beats(HeartbeatSubjects.localOffline, (beat) => served.offline(beat)),
  ];
  await nc.flush();
  nc.publish(AGENT_UP_SUBJECT, JSON.stringify({ account_key: opts.accountKey }));
  log(`local agent for ${opts.accountKey} answers natster.local.>`);

  return {
    async stop() {
      await Promise.allSettled(subscriptions.map((s) => s.drain()));
    },
  };
}
