import { NatsterError } from "./errors.ts";
import { isAccountKey } from "./keys.ts";
import { CATALOG_NAME, normalizeCatalogName } from "./names.ts";
import { Subjects } from "./subjects.ts";

/** The subset of NATS account JWT claims the Natster template speaks about (jwt `Export`/`Import`). */
export type ExportClaim = {
  name: string;
  subject: string;
  type: "service" | "stream";
  account_token_position?: number;
  response_type?: "Singleton" | "Stream" | "Chunked";
  advertise?: boolean;
  description?: string;
};

export type ImportClaim = {
  name: string;
  subject: string;
  account: string;
  type: "service" | "stream";
  local_subject?: string;
};

export type AccountLimits = {
  subs: number;
  data: number;
  payload: number;
  imports: number;
  exports: number;
  wildcards: boolean;
  conn: number;
  leaf: number;
  mem_storage: number;
  disk_storage: number;
  streams: number;
  consumer: number;
  max_ack_pending: number;
  mem_max_stream_bytes: number;
  disk_max_stream_bytes: number;
  max_bytes_required: boolean;
};

export type CatalogImport = { catalog: string; from: string };

/**
 * Maximum limits for a user account. JetStream storage stays -1 (dynamic) on purpose: explicit
 * values are reserved against the server's totals and would cap the number of users (see
 * shared/reference/nats-local-accounts.md §5.1).
 */
export const USER_LIMITS: AccountLimits = {
  subs: 10_000,
  data: -1,
  payload: 1_048_576,
  imports: 512,
  exports: 2,
  wildcards: true,
  conn: 64,
  leaf: 0,
  mem_storage: -1,
  disk_storage: -1,
  streams: 32,
  consumer: 256,
  max_ack_pending: -1,
  mem_max_stream_bytes: -1,
  disk_max_stream_bytes: -1,
  max_bytes_required: false,
};

export const userExports = (): ExportClaim[] => [
  {
    name: "natster_catalog",
    subject: Subjects.catalogServiceExport,
    type: "service",
    account_token_position: 1,
    response_type: "Singleton",
    advertise: true,
    description: "Natster Catalog Service",
  },
  {
    name: "natster_media",
    subject: Subjects.mediaStreamExport,
    type: "stream",
    account_token_position: 1,
    advertise: true,
    description: "Natster Media Stream",
  },
];

export const globalExports = (): ExportClaim[] => [
  { name: "natster_global", subject: Subjects.globalServiceExport, type: "service", account_token_position: 3 },
  { name: "natster_global_events", subject: Subjects.globalEventsExport, type: "stream", account_token_position: 1 },
];

/**
 * The account authority lives in NATSTER_GLOBAL and reaches the public account through this export;
 * the public account imports it with `share: true`, so nats-server tells the authority each
 * caller's address and connection (its abuse limits key on them; a caller cannot forge them).
 */
export const authorityExport = (): ExportClaim => ({
  name: "natster_authority",
  subject: `${Subjects.authority.prefix}.>`,
  type: "service",
  response_type: "Singleton",
});

export const authorityImport = (globalAccount: string): ImportClaim & { share: boolean } => ({
  name: "natster_authority",
  type: "service",
  account: globalAccount,
  subject: `${Subjects.authority.prefix}.>`,
  local_subject: `${Subjects.authority.prefix}.>`,
  share: true,
});

export const globalImports = (me: string, globalAccount: string): ImportClaim[] => [
  {
    name: "natster_global",
    type: "service",
    account: globalAccount,
    subject: `natster.global.${me}.>`,
    local_subject: "natster.global.>",
  },
  {
    name: "natster_global_events",
    type: "stream",
    account: globalAccount,
    subject: `${me}.natster.global-events.*`,
    local_subject: "natster.global-events.*",
  },
];

/** The two imports that make catalog `catalog` of account `from` reachable from `me` (upstream §4.4). */
export const catalogImports = (me: string, { catalog, from }: CatalogImport): ImportClaim[] => {
  const c = normalizeCatalogName(catalog);
  return [
    {
      name: `natster_${c}`,
      type: "service",
      account: from,
      subject: `${me}.natster.catalog.${c}.>`,
      local_subject: `natster.catalog.${c}.>`,
    },
    {
      name: `natster_${c}_media`,
      type: "stream",
      account: from,
      subject: `${me}.natster.media.${c}.*`,
      local_subject: `natster.media.${c}.*`,
    },
  ];
};

const sameImport = (a: ImportClaim, b: ImportClaim) =>
  a.name === b.name &&
  a.type === b.type &&
  a.account === b.account &&
  a.subject === b.subject &&
  (a.local_subject ?? "") === (b.local_subject ?? "");

const sameExport = (a: ExportClaim, b: ExportClaim) =>
  a.name === b.name &&
  a.type === b.type &&
  a.subject === b.subject &&
  (a.account_token_position ?? 0) === (b.account_token_position ?? 0);

const CATALOG_SERVICE = /^([^.]+)\.natster\.catalog\.([^.]+)\.>$/;
const CATALOG_MEDIA = /^([^.]+)\.natster\.media\.([^.]+)\.\*$/;

/**
 * Checks one requested import against the template for account `me` and returns the catalog
 * import it belongs to (`undefined` for the global imports). Throws a NatsterError otherwise.
 */
export function classifyImport(me: string, globalAccount: string, imp: ImportClaim): CatalogImport | undefined {
  if (imp.account === globalAccount) {
    if (globalImports(me, globalAccount).some((g) => sameImport(g, imp))) return undefined;
    const withMyKey = {
      ...imp,
      subject: imp.subject
        .split(".")
        .map((t) => (isAccountKey(t) ? me : t))
        .join("."),
    };
    if (globalImports(me, globalAccount).some((g) => sameImport(g, withMyKey))) {
      throw new NatsterError("AUTH_IMPORT_TOKEN", `import '${imp.name}' names another account in its token position`);
    }
    throw new NatsterError("AUTH_FOREIGN_IMPORT", `import '${imp.name}' is not one of the global service imports`);
  }
  if (!isAccountKey(imp.account) || imp.account === me) {
    throw new NatsterError("AUTH_FOREIGN_IMPORT", `import '${imp.name}' must come from another valid account`);
  }
  const match = CATALOG_SERVICE.exec(imp.subject) ?? CATALOG_MEDIA.exec(imp.subject);
  if (!match) throw new NatsterError("AUTH_FOREIGN_IMPORT", `import subject '${imp.subject}' is not a catalog import`);
  const [, token, catalog] = match as unknown as [string, string, string];
  if (token === "*" || token === ">" || catalog === "*" || catalog === ">") {
    throw new NatsterError(
      "AUTH_WILDCARD_IMPORT",
      `import '${imp.subject}' grabs a wildcard; import one catalog by name`,
    );
  }
  if (token !== me) {
    throw new NatsterError("AUTH_IMPORT_TOKEN", `import '${imp.subject}' names another account in its token position`);
  }
  if (!CATALOG_NAME.test(catalog)) {
    throw new NatsterError("BAD_CATALOG_NAME", `catalog '${catalog}' must be 1-64 letters and digits`);
  }
  const wanted = { catalog: normalizeCatalogName(catalog), from: imp.account };
  if (!catalogImports(me, wanted).some((t) => sameImport(t, imp))) {
    throw new NatsterError("AUTH_FOREIGN_IMPORT", `import '${imp.name}' does not follow the catalog import template`);
  }
  return wanted;
}

/** Throws unless every export is one of the two Natster user exports. */
export function checkExports(exports: readonly ExportClaim[]): void {
  const allowed = userExports();
  for (const e of exports) {
    if (!allowed.some((a) => sameExport(a, e))) {
      throw new NatsterError("AUTH_FOREIGN_EXPORT", `export '${e.name}' (${e.subject}) is not a Natster export`);
    }
  }
}

/** Throws if any requested limit is above the template maximum (-1 means unlimited). */
export function checkLimits(requested: Partial<AccountLimits>, max: AccountLimits = USER_LIMITS): void {
  for (const [key, value] of Object.entries(requested)) {
    const cap = max[key as keyof AccountLimits];
    if (cap === undefined) throw new NatsterError("AUTH_LIMITS_RAISED", `limit '${key}' is not part of the template`);
    if (typeof cap === "boolean" || typeof value === "boolean") {
      if (value !== cap && value === true)
        throw new NatsterError("AUTH_LIMITS_RAISED", `limit '${key}' cannot be enabled`);
      continue;
    }
    if (typeof value !== "number") throw new NatsterError("BAD_REQUEST", `limit '${key}' must be a number`);
    const raised = cap !== -1 && (value === -1 || value > cap);
    if (raised) throw new NatsterError("AUTH_LIMITS_RAISED", `limit '${key}'=${value} is above the maximum ${cap}`);
  }
}

/** Adds one catalog import to a set, refusing a second source for the same local catalog name. */
export function addCatalogImport(existing: readonly CatalogImport[], wanted: CatalogImport): CatalogImport[] {
  const clash = existing.find((c) => c.catalog === wanted.catalog);
  if (clash && clash.from !== wanted.from) {
    throw new NatsterError(
      "AUTH_IMPORT_CONFLICT",
      `catalog '${wanted.catalog}' is already imported from ${clash.from}; unimport it first`,
    );
  }
  return clash ? [...existing] : [...existing, wanted];
}

/** The full, canonical import list of a user account. */
export const userImports = (me: string, globalAccount: string, catalogs: readonly CatalogImport[]): ImportClaim[] => [
  ...globalImports(me, globalAccount),
  ...catalogs.flatMap((c) => catalogImports(me, c)),
];
