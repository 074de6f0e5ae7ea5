/**
 * Compiles aead.c and gcm-vaes.c into dist/natster-aead.node with the machine's C compiler and
 * the headers of the node that runs this (`<prefix>/include/node`, which carry OpenSSL's too).
 * scripts/setup.sh runs it; bundles embed the result (workloads/build.ts).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const NATIVE_AEAD_SOURCES = ["aead.c", "gcm-vaes.c", "gcm-vaes.h"].map((file) => join(here, file));
export const NATIVE_AEAD_BINARY = join(here, "dist", "natster-aead.node");

export function nodeHeaders(): string {
  const headers = join(dirname(process.execPath), "..", "include", "node");
  if (!existsSync(join(headers, "node_api.h")) || !existsSync(join(headers, "openssl", "evp.h")))
    throw new Error(`node's C headers are not at ${headers} (node_api.h and openssl/evp.h are needed)`);
  return headers;
}

/** Built already from this source, by this node (a newer node may bring other headers). */
function upToDate(): boolean {
  if (!existsSync(NATIVE_AEAD_BINARY)) return false;
  const built = statSync(NATIVE_AEAD_BINARY).mtimeMs;
  return [...NATIVE_AEAD_SOURCES, fileURLToPath(import.meta.url), process.execPath].every(
    (f) => statSync(f).mtimeMs <= built,
  );
}

/** Compiles the addon unless it is up to date; returns where it is. */
export function buildNativeAead(): string {
  if (upToDate()) return NATIVE_AEAD_BINARY;
  mkdirSync(dirname(NATIVE_AEAD_BINARY), { recursive: true });
  const cc = process.env.CC ?? "cc";
  const building = `${NATIVE_AEAD_BINARY}.${process.pid}.tmp`;
  execFileSync(
    cc,
    [
      "-O2",
      "-std=c11",
      "-Wall",
      "-Werror",
      "-shared",
      "-fPIC",
      "-fvisibility=hidden",
      "-I",
      nodeHeaders(),
      "-o",
      building,
      ...NATIVE_AEAD_SOURCES.filter((file) => file.endsWith(".c")),
    ],
    { stdio: "inherit" },
  );
  // A new file under the old name: a process that has the old one loaded keeps its mapping.
  renameSync(building, NATIVE_AEAD_BINARY);
  return NATIVE_AEAD_BINARY;
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  process.stdout.write(`native AES-256-GCM: ${buildNativeAead()}\n`);
