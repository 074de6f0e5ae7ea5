import { fromSeed, type KeyPair } from "@nats-io/nkeys";
import { isContextName, NatsterError, type CatalogImport } from "@natster/protocol";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A Natster context, stored as `<NATSTER_HOME>/<name>.context` (upstream's place). It holds no
 * secrets: seeds live in `<NATSTER_HOME>/keys/<name>/` and the user creds in `<name>.creds`, all 0600.
 */
export type NatsterContext = {
  account_name: string;
  account_public_key: string;
  /** The account signing key this machine signs user JWTs with. */
  signing_key: string;
  creds: string;
  /** The stack's servers, comma-separated (every server of a cluster), as `-s` takes them. */
  nats_url: string;
  ws_url?: string;
  /** Catalogs imported through the authority (the catalog server's inbox reads this). */
  imports: CatalogImport[];
  created_at: string;
};

/** Throws unless `name` is a plain context name: a context never names a path. */
export function checkContextName(name: string): string {
  if (!isContextName(name)) {
    throw new NatsterError(
      "BAD_CONTEXT_NAME",
      `--context '${String(name)}' is not a plain name: use 1-64 letters, digits, '-' or '_'`,
    );
  }
  return name;
}

export const contextPath = (home: string, name: string) => join(home, `${checkContextName(name)}.context`);
export const credsPath = (home: string, name: string) => join(home, `${checkContextName(name)}.creds`);
export const keysDir = (home: string, name: string) => join(home, "keys", checkContextName(name));

export function readContext(home: string, name: string): NatsterContext | undefined {
  const path = contextPath(home, name);
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as NatsterContext) : undefined;
}

export function writeContext(home: string, name: string, ctx: NatsterContext): void {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const path = contextPath(home, name);
  writeFileSync(`${path}.tmp`, JSON.stringify(ctx, null, 2) + "\n", { mode: 0o644 });
  renameSync(`${path}.tmp`, path);
}

export function writeSecretFile(path: string, data: string | Uint8Array): void {
  writeFileSync(path, data, { mode: 0o600 });
  // `mode` only applies to a new file; an existing one keeps whatever it had.
  chmodSync(path, 0o600);
}

/** The account signing key of a context (made by `natster init`); it signs users minted on this machine. */
export function loadSigningKey(home: string, name: string): KeyPair {
  const file = join(keysDir(home, name), "signing.nk");
  if (!existsSync(file))
    throw new NatsterError(
      "NOT_INITIALIZED",
      `no account signing key in ${keysDir(home, name)}: run \`natster init\` first`,
    );
  return fromSeed(new TextEncoder().encode(readFileSync(file, "utf8").trim()));
}

/** The account key and signing key of a context; created once, never sent anywhere. */
export function loadOrCreateKeys(home: string, name: string, create: () => { account: KeyPair; signing: KeyPair }) {
  const dir = keysDir(home, name);
  const accountFile = join(dir, "account.nk");
  const signingFile = join(dir, "signing.nk");
  if (existsSync(accountFile) && existsSync(signingFile)) {
    const load = (f: string) => fromSeed(new TextEncoder().encode(readFileSync(f, "utf8").trim()));
    return { account: load(accountFile), signing: load(signingFile), created: false };
  }
  const keys = create();
  mkdirSync(join(home, "keys"), { recursive: true, mode: 0o700 });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeSecretFile(accountFile, keys.account.getSeed());
  writeSecretFile(signingFile, keys.signing.getSeed());
  return { ...keys, created: true };
}
