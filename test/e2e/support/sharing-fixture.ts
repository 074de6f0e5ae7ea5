import { fromSeed } from "@nats-io/nkeys";
import type { CatalogSummary } from "@natster/catalog";
import type { ImportClaim } from "@natster/protocol";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { E2eUser, jwtClaims, sha256, startStack, writeRandomFile } from "./cli-e2e.ts";

export type InitReply = {
  context: string;
  account: string;
  initialized_before: boolean;
  imports: { catalog: string; from: string }[];
  creds: string;
};
export type DownloadReply = {
  file: string;
  bytes: number;
  offset: number;
  total: number;
  verified: "sha256" | "length";
  elapsedMs: number;
};
export type Source = { path: string; abs: string; hash: string; size: number };
export type Sources = Record<"notes" | "clip" | "empty" | "episode" | "shared", Source>;

export const enc = new TextEncoder();
export const readSeed = (path: string) => fromSeed(enc.encode(readFileSync(path, "utf8").trim()));
export const byPath = (s: CatalogSummary) =>
  Object.fromEntries(s.entries.map((e) => [e.path, { hash: e.hash, byte_size: e.byte_size }]));
/** What a catalog of `src` lists, by path. */
export const listingOf = (src: Sources) =>
  Object.fromEntries(Object.values(src).map((s) => [s.path, { hash: s.hash, byte_size: s.size }]));
export const jwtImports = (jwt: string): ImportClaim[] =>
  jwtClaims<{ nats?: { imports?: ImportClaim[] } }>(jwt).nats?.imports ?? [];

/**
 * Alice's media folder `<root>/alice-media` (a text, an empty file, binaries, one in a subfolder) and
 * bob's empty downloads folder `<root>/bob-downloads`.
 */
export function writeSharingMedia(root: string): { media: string; downloads: string; src: Sources } {
  const media = join(root, "alice-media");
  const downloads = join(root, "bob-downloads");
  mkdirSync(join(media, "season1"), { recursive: true });
  mkdirSync(downloads);
  const text = "Natster e2e notes — ✓ unicode, two lines\nsecond line\n";
  writeFileSync(join(media, "notes.txt"), text);
  writeFileSync(join(media, "empty.dat"), "");
  const src = {} as Sources;
  const file = (key: keyof Sources, path: string, hash: string) => {
    const abs = join(media, path);
    src[key] = { path: `/${path}`, abs, hash, size: statSync(abs).size };
  };
  file("notes", "notes.txt", sha256(text));
  file("empty", "empty.dat", sha256(""));
  file("clip", "clip.bin", writeRandomFile(join(media, "clip.bin"), 5 * 2 ** 20));
  file("episode", "season1/episode01.mkv", writeRandomFile(join(media, "season1/episode01.mkv"), 2 ** 20 + 123));
  file("shared", "shared.bin", writeRandomFile(join(media, "shared.bin"), 32 * 2 ** 20));
  return { media, downloads, src };
}

/**
 * The sharing specs' world under `root` (made by the caller, so teardown finds it even when this
 * fails): alice's media and bob's downloads folder, the stack of `natster up`, and alice, bob and
 * mallory, each with a NATSTER_HOME of their own.
 */
export async function startSharingWorld(root: string) {
  const written = writeSharingMedia(root);
  const stack = await startStack(join(root, "stack-home"));
  const user = (name: string) => new E2eUser(name, join(root, name), stack);
  return { ...written, stack, alice: user("alice"), bob: user("bob"), mallory: user("mallory") };
}
