import { encodeAccount, encodeOperator, encodeUser, fmtCreds } from "@nats-io/jwt";
import { createAccount, createOperator, createUser, fromSeed, type KeyPair } from "@nats-io/nkeys";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { baseAccountClaims, stackUserPermissions } from "./base-claims.ts";
import { BASE_ACCOUNTS, STACK_USERS, type BaseAccount, type StackIdentity, type StackUser } from "./identity-model.ts";
import { stackPaths } from "./paths.ts";

const dec = new TextDecoder();

function writeSecret(path: string, data: string | Uint8Array): void {
  writeFileSync(path, data, { mode: 0o600 });
}

/**
 * Loads the stack identity from `dir`, creating operator, signing key, accounts and users on first
 * use; `replicas` (the stack's JetStream replication) sizes the global account's storage limits.
 */
export async function ensureStackIdentity(dir: string, opts: { replicas?: number } = {}): Promise<StackIdentity> {
  const paths = stackPaths(dir);
  if (existsSync(paths.identity)) return loadStackIdentity(dir);
  for (const d of [paths.dir, paths.keys, paths.creds]) mkdirSync(d, { recursive: true, mode: 0o700 });

  const operator = createOperator();
  const operatorSigning = createOperator();
  const accountKeys = Object.fromEntries(BASE_ACCOUNTS.map((a) => [a, createAccount()])) as Record<
    BaseAccount,
    KeyPair
  >;
  const hubSigning = createAccount();
  const publicKeys = Object.fromEntries(BASE_ACCOUNTS.map((a) => [a, accountKeys[a].getPublicKey()])) as Record<
    BaseAccount,
    string
  >;

  const operatorJwt = await encodeOperator("natster-local", operator, {
    system_account: publicKeys.SYS,
    signing_keys: [operatorSigning.getPublicKey()],
  });
  const accounts = {} as StackIdentity["accounts"];
  for (const name of BASE_ACCOUNTS) {
    const claims = baseAccountClaims(name, publicKeys, hubSigning.getPublicKey(), opts.replicas ?? 1);
    const jwt = await encodeAccount(name, accountKeys[name], claims, { signer: operatorSigning });
    accounts[name] = { public_key: publicKeys[name], jwt };
  }

  writeSecret(join(paths.keys, "operator.nk"), operator.getSeed());
  writeSecret(join(paths.keys, "operator-signing.nk"), operatorSigning.getSeed());
  writeSecret(join(paths.keys, "HUB-signing.nk"), hubSigning.getSeed());
  for (const name of BASE_ACCOUNTS) writeSecret(join(paths.keys, `${name}.nk`), accountKeys[name].getSeed());
  for (const [user, account] of Object.entries(STACK_USERS) as [StackUser, BaseAccount][]) {
    const ukp = createUser();
    const jwt = await encodeUser(`natster-${user}`, ukp, accountKeys[account], stackUserPermissions(user));
    writeSecret(join(paths.creds, `${user}.creds`), fmtCreds(jwt, ukp));
  }

  const identity: StackIdentity = {
    version: 1,
    created_at: new Date().toISOString(),
    operator: {
      name: "natster-local",
      public_key: operator.getPublicKey(),
      signing_key: operatorSigning.getPublicKey(),
      jwt: operatorJwt,
    },
    accounts,
  };
  writeFileSync(paths.identity, JSON.stringify(identity, null, 2) + "\n", { mode: 0o644 });
  return identity;
}

export function loadStackIdentity(dir: string): StackIdentity {
  return JSON.parse(readFileSync(stackPaths(dir).identity, "utf8")) as StackIdentity;
}

/** A seed the stack keeps in its `keys/` folder (mode 0600); it never leaves this machine. */
export function loadStackKey(dir: string, name: string): KeyPair {
  return fromSeed(new TextEncoder().encode(readFileSync(join(stackPaths(dir).keys, `${name}.nk`), "utf8").trim()));
}

export function stackCredsPath(dir: string, user: StackUser): string {
  return join(stackPaths(dir).creds, `${user}.creds`);
}

export function readStackCreds(dir: string, user: StackUser): Uint8Array {
  return readFileSync(stackCredsPath(dir, user));
}

export const credsText = (creds: Uint8Array): string => dec.decode(creds);
