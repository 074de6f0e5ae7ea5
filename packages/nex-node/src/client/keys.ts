import { createAccount, createCurve, fromCurveSeed, fromSeed, type KeyPair } from "@nats-io/nkeys";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

const enc = new TextEncoder();

/** `~/.nex`, or `NEX_HOME` when set. */
export const nexHome = (env: Record<string, string | undefined> = process.env): string =>
  env.NEX_HOME ?? join(homedir(), ".nex");

/** The issuer account key (`issuer.nk`) and publisher curve key (`publisher.xk`) of `nex devrun`, created on first use. */
export function loadOrCreateNexKeys(home = nexHome()): { issuer: KeyPair; publisher: KeyPair } {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  return {
    issuer: loadOrCreate(join(home, "issuer.nk"), createAccount, (s) => fromSeed(s)),
    publisher: loadOrCreate(join(home, "publisher.xk"), createCurve, (s) => fromCurveSeed(s)),
  };
}

/** A seed file given with --issuer / --xkey. */
export function readSeedFile(path: string, kind: "account" | "curve"): KeyPair {
  const seed = enc.encode(readFileSync(path, "utf8").trim());
  return kind === "curve" ? fromCurveSeed(seed) : fromSeed(seed);
}

function loadOrCreate(path: string, create: () => KeyPair, load: (seed: Uint8Array) => KeyPair): KeyPair {
  if (existsSync(path)) return load(enc.encode(readFileSync(path, "utf8").trim()));
  const kp = create();
  writeFileSync(path, kp.getSeed(), { mode: 0o600 });
  return kp;
}
