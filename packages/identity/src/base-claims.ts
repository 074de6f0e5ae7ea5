import type { Account, User } from "@nats-io/jwt";
import {
  authorityExport,
  authorityImport,
  globalExports,
  globalImports,
  userExports,
  USER_LIMITS,
} from "@natster/protocol";
import type { BaseAccount, StackUser } from "./identity-model.ts";

const UNLIMITED = { subs: -1, data: -1, payload: -1, imports: -1, exports: -1, wildcards: true, conn: -1, leaf: -1 };
const NO_JETSTREAM = { mem_storage: 0, disk_storage: 0, streams: 0, consumer: 0 };

/**
 * The claims of each base account; `keys` maps account names to public keys. `replicas` is the
 * stack's JetStream replication (3 in a cluster): an account's storage counts every replica, so
 * the global account's limits grow with it.
 */
export function baseAccountClaims(
  account: BaseAccount,
  keys: Record<BaseAccount, string>,
  hubSigningKey: string,
  replicas = 1,
): Partial<Account> {
  switch (account) {
    case "SYS":
      return { limits: { ...UNLIMITED, ...NO_JETSTREAM } };
    case "NATSTER_GLOBAL":
      return {
        description: "Natster global service: event log, projections, one-time codes",
        limits: {
          ...UNLIMITED,
          mem_storage: 256 * 2 ** 20 * replicas,
          disk_storage: 4 * 2 ** 30 * replicas,
          streams: -1,
          consumer: -1,
          max_ack_pending: -1,
          mem_max_stream_bytes: -1,
          disk_max_stream_bytes: -1,
          max_bytes_required: false,
        },
        exports: [...globalExports(), authorityExport()],
      };
    case "HUB":
      return {
        description: "Natster demo hub: serves a catalog to every new account",
        limits: USER_LIMITS,
        exports: userExports(),
        imports: globalImports(keys.HUB, keys.NATSTER_GLOBAL),
        signing_keys: [hubSigningKey],
      };
    case "NATSTER_PUBLIC":
      return {
        description: "Public account: signup through the account authority, web login code claims",
        limits: { ...UNLIMITED, ...NO_JETSTREAM },
        imports: [
          {
            name: "natster_otc_claim",
            type: "service",
            account: keys.NATSTER_GLOBAL,
            subject: `natster.global.${keys.NATSTER_PUBLIC}.otc.claim`,
            local_subject: "natster.global.otc.claim",
          },
          authorityImport(keys.NATSTER_GLOBAL),
        ],
      };
  }
}

/** Permissions of the stack's own users. Public users may only reach the authority and the login claim. */
export function stackUserPermissions(user: StackUser): Partial<User> {
  switch (user) {
    case "public":
      return {
        pub: { allow: ["natster.authority.>", "natster.global.otc.claim", "$SRV.>"] },
        sub: { allow: ["_INBOX.>"] },
      };
    case "authority":
      return {
        // `_R_.>`: replies to callers that come through the public account's import.
        pub: { allow: ["_INBOX.>", "_R_.>", "$SRV.>"] },
        sub: { allow: ["natster.authority.>", "$SRV.>", "_INBOX.>"] },
      };
    default:
      return {};
  }
}
