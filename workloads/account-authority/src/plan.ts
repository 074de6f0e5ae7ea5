import {
  addCatalogImport,
  checkExports,
  checkLimits,
  classifyImport,
  isAccountKey,
  MAX_REVOCATIONS,
  normalizeCatalogName,
  REVOCATION_KEEP_SECONDS,
  NatsterError,
  userExports,
  userImports,
  USER_LIMITS,
  type AccountCreatePayload,
  type AccountLimits,
  type CatalogImport,
  type ExportClaim,
  type ImportClaim,
  type ImportsAddPayload,
  type ImportsRemovePayload,
} from "@natster/protocol";

/** What the authority knows about the stack it guards. */
export type AuthorityContext = { globalAccount: string; reserved: ReadonlySet<string> };

/** Revoked user keys and when (unix seconds): every user JWT of that key issued until then is refused. */
export type Revocations = Record<string, number>;

/** The essence of a user account; the JWT claims are derived from it and nothing else. */
export type AccountPlan = {
  name: string;
  signing_keys: string[];
  catalogs: CatalogImport[];
  limits: AccountLimits;
  revocations: Revocations;
};

const NAME = /^[\x20-\x7e]{1,64}$/;

function checkSigningKeys(me: string, keys: unknown): string[] {
  if (!Array.isArray(keys) || keys.length < 1 || keys.length > 4) {
    throw new NatsterError("AUTH_BAD_SIGNING_KEY", "give 1 to 4 account signing keys");
  }
  for (const k of keys) {
    if (!isAccountKey(k) || k === me) {
      throw new NatsterError(
        "AUTH_BAD_SIGNING_KEY",
        "signing keys must be account public keys other than the account key",
      );
    }
  }
  return [...new Set(keys as string[])];
}

function catalogsFrom(me: string, ctx: AuthorityContext, imports: readonly ImportClaim[], start: CatalogImport[]) {
  let catalogs = start;
  for (const imp of imports) {
    const catalog = classifyImport(me, ctx.globalAccount, imp);
    if (catalog) catalogs = addCatalogImport(catalogs, catalog);
  }
  return catalogs;
}

export function planCreate(p: AccountCreatePayload, ctx: AuthorityContext, existing?: AccountPlan): AccountPlan {
  if (ctx.reserved.has(p.account)) throw new NatsterError("AUTH_RESERVED_ACCOUNT", "this account belongs to the stack");
  if (typeof p.name !== "string" || !NAME.test(p.name)) {
    throw new NatsterError("BAD_REQUEST", "name must be 1-64 printable ASCII characters");
  }
  const signing_keys = checkSigningKeys(p.account, p.signing_keys);
  if (p.exports !== undefined) checkExports(asArray<ExportClaim>(p.exports, "exports"));
  if (p.limits !== undefined) checkLimits(asObject(p.limits, "limits"));
  const catalogs = catalogsFrom(
    p.account,
    ctx,
    asArray<ImportClaim>(p.imports ?? [], "imports"),
    existing?.catalogs ?? [],
  );
  return {
    name: p.name,
    signing_keys,
    catalogs,
    limits: { ...USER_LIMITS, ...(p.limits ?? {}) },
    revocations: existing?.revocations ?? {},
  };
}

export function planImportsAdd(p: ImportsAddPayload, ctx: AuthorityContext, existing: AccountPlan): AccountPlan {
  const imports = asArray<ImportClaim>(p.imports, "imports");
  if (imports.length === 0) throw new NatsterError("BAD_REQUEST", "imports must not be empty");
  return { ...existing, catalogs: catalogsFrom(p.account, ctx, imports, existing.catalogs) };
}

export function planImportsRemove(p: ImportsRemovePayload, existing: AccountPlan): AccountPlan {
  if (typeof p.catalog !== "string" || p.catalog.length === 0)
    throw new NatsterError("BAD_REQUEST", "catalog is required");
  const catalog = normalizeCatalogName(p.catalog);
  return { ...existing, catalogs: existing.catalogs.filter((c) => c.catalog !== catalog) };
}

/**
 * Revokes user keys of the account as of `nowSeconds`. A key revoked before stays as it was; entries
 * older than REVOCATION_KEEP_SECONDS go (the logins they revoked have expired).
 */
export function planRevoke(existing: AccountPlan, users: readonly string[], nowSeconds: number): AccountPlan {
  const revocations: Revocations = {};
  for (const [key, at] of Object.entries(existing.revocations)) {
    if (at >= nowSeconds - REVOCATION_KEEP_SECONDS) revocations[key] = at;
  }
  for (const user of users) revocations[user] ??= nowSeconds;
  if (Object.keys(revocations).length > MAX_REVOCATIONS) {
    throw new NatsterError(
      "AUTH_TOO_MANY_REVOCATIONS",
      `an account holds at most ${MAX_REVOCATIONS} live revocations; they expire after a week`,
    );
  }
  return { ...existing, revocations };
}

/** Reads the plan back out of an account's current claims (what the resolver holds). */
export function planFromClaims(
  me: string,
  ctx: AuthorityContext,
  name: string,
  claims: {
    imports?: ImportClaim[];
    signing_keys?: unknown[];
    limits?: Partial<AccountLimits>;
    revocations?: Record<string, number>;
  },
): AccountPlan {
  const catalogs: CatalogImport[] = [];
  for (const imp of claims.imports ?? []) {
    try {
      const c = classifyImport(me, ctx.globalAccount, imp);
      if (c && !catalogs.some((x) => x.catalog === c.catalog)) catalogs.push(c);
    } catch {
      // An import outside the template can only come from an older template; dropping it is the fix.
    }
  }
  const signing_keys = (claims.signing_keys ?? []).filter((k): k is string => typeof k === "string");
  const revocations: Revocations = {};
  for (const [key, at] of Object.entries(claims.revocations ?? {})) if (typeof at === "number") revocations[key] = at;
  return { name, signing_keys, catalogs, limits: { ...USER_LIMITS, ...(claims.limits ?? {}) }, revocations };
}

export function claimsFromPlan(me: string, ctx: AuthorityContext, plan: AccountPlan) {
  return {
    exports: userExports(),
    imports: userImports(me, ctx.globalAccount, plan.catalogs),
    signing_keys: plan.signing_keys,
    limits: plan.limits,
    ...(Object.keys(plan.revocations).length > 0 ? { revocations: plan.revocations } : {}),
  };
}

const canonical = (p: AccountPlan) =>
  JSON.stringify({
    ...p,
    signing_keys: [...p.signing_keys].sort(),
    catalogs: [...p.catalogs].sort((a, b) => a.catalog.localeCompare(b.catalog)),
    revocations: Object.entries(p.revocations).sort(([a], [b]) => a.localeCompare(b)),
  });

export const samePlan = (a: AccountPlan, b: AccountPlan): boolean => canonical(a) === canonical(b);

function asArray<T>(v: unknown, field: string): T[] {
  if (!Array.isArray(v)) throw new NatsterError("BAD_REQUEST", `${field} must be an array`);
  for (const x of v)
    if (typeof x !== "object" || x === null) throw new NatsterError("BAD_REQUEST", `${field} must hold objects`);
  return v as T[];
}

function asObject(v: unknown, field: string): Partial<AccountLimits> {
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new NatsterError("BAD_REQUEST", `${field} must be an object`);
  return v;
}
