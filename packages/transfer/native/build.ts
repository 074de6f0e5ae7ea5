/**
 * Compiles aead.c into dist/natster-aead.node with the machine's C compiler and the headers of the
 * node that runs this (`<prefix>/include/node`, which carry OpenSSL's too). scripts/setup.sh runs it;
 * bundles embed the result (workloads/build.ts).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const NATIVE_AEAD_SOURCE = join(here, "aead.c");
export const NATIVE_AEAD_BINARY = join(here, "dist", "natster-aead.node");

export function nodeHeaders(): string {
  const headers = join(dirname(process.execPath), "..", "include", "node");
  if (!existsSync(join(headers, "node_api.h")) || !existsSync(join(headers, "openssl", "evp.h")))
    throw new Error(`node's C headers are not at ${headers} (node_api.h and openssl/evp.h are needed)`);
  return headers;
}

export function buildNativeAead(): string {
  mkdirSync(dirname(NATIVE_AEAD_BINARY), { recursive: true });
  const cc = process.env.CC ?? "cc";
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
      NATIVE_AEAD_BINARY,
      NATIVE_AEAD_SOURCE,
    ],
    { stdio: "inherit" },
  );
  return NATIVE_AEAD_BINARY;
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  process.stdout.write(`native AES-256-GCM: ${buildNativeAead()}\n`);
