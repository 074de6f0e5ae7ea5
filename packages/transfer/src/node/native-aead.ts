/**
 * Loads the native AES-256-GCM addon (packages/transfer/native): embedded by the bundler in a
 * workload artifact, or built beside this source tree by scripts/setup.sh. Anything that does not
 * load, or does not seal exactly as node:crypto does, is not used: the caller falls back to node:crypto.
 */
import { createCipheriv } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export type NativeAead = {
  /** Encrypts `chunk[0, length - 16)` in place and writes the tag into its last 16 bytes. */
  sealInPlace(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, chunk: Uint8Array): boolean;
  /** Checks the tag and decrypts in place; false (and the body zeroed) when the tag does not match. */
  openInPlace(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, chunk: Uint8Array): boolean;
  /** Where the CPU has VAES and AVX-512, the addon's own AES-GCM (packages/transfer/native/gcm-vaes.c). */
  backend: NativeAeadBackend;
};

export type NativeAeadBackend = "vaes-avx512" | "openssl";
const isBackend = (value: unknown): value is NativeAeadBackend => value === "vaes-avx512" || value === "openssl";

export type NativeAeadLoad = { aead: NativeAead; from: string } | { aead?: undefined; why: string };

/** Replaced by the bundler (workloads/build.ts) with the addon's bytes in base64: an artifact travels alone. */
declare const __NATSTER_NATIVE_AEAD__: string | undefined;

const SOURCE_TREE_BINARY = fileURLToPath(new URL("../../native/dist/natster-aead.node", import.meta.url));

function dlopen(file: string): NativeAead {
  const module = { exports: {} as Partial<NativeAead> };
  // RTLD_NOW: a node that does not export OpenSSL's EVP functions fails here, not at the first chunk.
  process.dlopen(module, file, constants.dlopen.RTLD_NOW);
  const { sealInPlace, openInPlace, backend } = module.exports;
  if (typeof sealInPlace !== "function" || typeof openInPlace !== "function" || !isBackend(backend))
    throw new Error("the addon exports no sealInPlace/openInPlace/backend");
  return { sealInPlace, openInPlace, backend };
}

/** Written to a directory only this user can enter, loaded, then removed (the mapping outlives the file). */
function dlopenBytes(bytes: Uint8Array, tempRoot: string): NativeAead {
  const dir = mkdtempSync(join(tempRoot, "natster-aead-"));
  try {
    const file = join(dir, "natster-aead.node");
    writeFileSync(file, bytes, { mode: 0o500 });
    return dlopen(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** node:crypto's AES-256-GCM of `plain`: ciphertext ‖ 16-byte tag, the bytes the addon must give. */
export function nodeCryptoSealed(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plain: Uint8Array): Buffer {
  const cipher = createCipheriv("aes-256-gcm", key, nonce, { authTagLength: 16 }).setAAD(aad);
  return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

/**
 * Seals and opens a known chunk: the addon must give node:crypto's exact bytes and refuse a flipped
 * bit. 5,000 bytes take gcm-vaes.c through its wide rounds, the hashing they defer, and a partial block.
 */
function selfCheck(aead: NativeAead): void {
  const key = new Uint8Array(32).map((_, i) => i);
  const nonce = new Uint8Array(12).map((_, i) => 255 - i);
  const aad = new TextEncoder().encode("natster-v2|self-check|0|1");
  const plain = new Uint8Array(5000).map((_, i) => (i * 31) & 255);
  const expected = nodeCryptoSealed(key, nonce, aad, plain);
  const chunk = new Uint8Array(plain.length + 16);
  chunk.set(plain);
  if (!aead.sealInPlace(key, nonce, aad, chunk) || !expected.equals(chunk))
    throw new Error("its ciphertext differs from node:crypto's");
  const tampered = chunk.slice();
  tampered[3] = (tampered[3] ?? 0) ^ 1;
  if (aead.openInPlace(key, nonce, aad, tampered)) throw new Error("it opened a tampered chunk");
  if (!aead.openInPlace(key, nonce, aad, chunk) || !Buffer.from(chunk.subarray(0, plain.length)).equals(plain))
    throw new Error("it did not open its own chunk");
}

/** `embedded`: the addon in base64, written under `tempRoot` only for as long as loading takes. */
export type NativeAeadSources = { switchedOff: boolean; embedded?: string; file?: string; tempRoot: string };

export function nativeAeadSources(env: NodeJS.ProcessEnv = process.env): NativeAeadSources {
  return {
    switchedOff: env.NATSTER_NATIVE_AEAD === "off",
    embedded: typeof __NATSTER_NATIVE_AEAD__ === "string" ? __NATSTER_NATIVE_AEAD__ : undefined,
    file: existsSync(SOURCE_TREE_BINARY) ? SOURCE_TREE_BINARY : undefined,
    tempRoot: tmpdir(),
  };
}

export function loadNativeAead(sources: NativeAeadSources = nativeAeadSources()): NativeAeadLoad {
  if (sources.switchedOff) return { why: "NATSTER_NATIVE_AEAD=off" };
  const from = sources.embedded !== undefined ? "embedded in this artifact" : sources.file;
  if (from === undefined) return { why: "the native addon is not built (scripts/setup.sh builds it)" };
  try {
    const aead =
      sources.embedded !== undefined
        ? dlopenBytes(Buffer.from(sources.embedded, "base64"), sources.tempRoot)
        : dlopen(from);
    selfCheck(aead);
    return { aead, from };
  } catch (error) {
    return { why: `the native addon ${from} is not usable: ${(error as Error).message}` };
  }
}
