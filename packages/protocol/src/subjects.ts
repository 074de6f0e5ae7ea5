import { eventSubject } from "./subject-tokens.ts";

/** The catalog-local op the owner's CLI calls after a share or unshare was applied (`Subjects.catalogLocal`). */
export const SHARES_CHANGED = "shares-changed";

/**
 * Every NATS subject Natster uses. `ME`/`<caller>` tokens are account public keys that
 * NATS itself writes through the account token position; never trust a payload for them.
 */
export const Subjects = {
  /** Account authority (served in the public account). */
  authority: {
    prefix: "natster.authority",
    nonce: "natster.authority.nonce",
    accountCreate: "natster.authority.account.create",
    importsAdd: "natster.authority.imports.add",
    importsRemove: "natster.authority.imports.remove",
    usersRevoke: "natster.authority.users.revoke",
    userLogout: "natster.authority.user.logout",
    accountGet: "natster.authority.account.get",
  },

  /** What a user account calls the global service on (mapped by its import). */
  global: (op: string) => `natster.global.${op}`,
  /**
   * What the global service receives: the caller's key in token 3 (index 2), written by NATS
   * through the export's account token position. Not token 1 as upstream: Nex refuses trigger
   * subjects that collide with its deny list (`$SYS.>`…), and any subject starting with `*` does.
   */
  globalFromCaller: (caller: string, op: string) => `natster.global.${caller}.${op}`,
  globalServiceExport: "natster.global.*.>",
  globalEventsExport: "*.natster.global-events.*",
  globalEventsTo: (account: string, type: string) => `${account}.natster.global-events.${type}`,

  /** A user's two exports. */
  catalogServiceExport: "*.natster.catalog.>",
  mediaStreamExport: "*.natster.media.*.*",

  /** Subjects an importer uses locally for catalog `cat`. */
  catalogLocal: (catalog: string, op: string) => `natster.catalog.${catalog}.${op}`,
  mediaLocal: (catalog: string, transfer: string) => `natster.media.${catalog}.${transfer}`,

  /** JetStream event log. */
  eventsStream: "NATSTER_EVENTS",
  event: (from: string, to: string, catalog: string, type: string) => eventSubject({ from, to, catalog, type }),
} as const;
