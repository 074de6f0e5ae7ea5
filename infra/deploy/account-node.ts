import type { User } from "@nats-io/jwt";

/**
 * What an account's own Nex node (a user's, or the hub's) may do in that account: its control subjects (`$NEX.>`), replies
 * to whoever asked (`_INBOX.>`, and through `resp` the mapped replies of remote importers), and what
 * the catalog server it runs needs, since workloads connect as the node's user:
 * - listen to its catalogs (`natster.catalog.>` locally, `*.natster.catalog.>` through the export,
 *   credit included) and to the owner's local services (`natster.local.>`, e.g. the inbox);
 * - the local agent hears the owner's own servers beat (`natster.local-events.heartbeat|offline`);
 * - call the global service (`natster.global.>`: heartbeats, shares) and tell the owner's pages
 *   (`natster.local-events.>`);
 * - send media to the owner (`natster.media.>`) and to importers (`*.natster.media.>`).
 * Nothing else: no JetStream API, no system subjects, nothing outside this account.
 */
export function userNodePermissions(): Partial<User> {
  return {
    pub: {
      allow: [
        "$NEX.>",
        "_INBOX.>",
        "natster.global.>",
        "natster.local-events.>",
        "natster.media.>",
        "*.natster.media.>",
      ],
    },
    sub: {
      allow: [
        "$NEX.>",
        "_INBOX.>",
        "natster.catalog.>",
        "*.natster.catalog.>",
        "natster.local.>",
        "natster.local-events.heartbeat",
        "natster.local-events.offline",
      ],
    },
    resp: { max: 1, ttl: 0 },
  };
}

/** The node config an account's own node runs with: native workloads only, deployed by the owner's issuer; the tags say whose node it is. */
export function userNodeConfig(accountKey: string, instance: string, issuer: string) {
  return {
    workload_types: ["native"],
    no_sandbox: true,
    tags: { "natster.node": "user", "natster.account": accountKey, "natster.instance": instance },
    node_limits: { max_workloads: 64 },
    valid_issuers: [issuer],
  };
}
