/** The page's SHA-256 worker: hashes downloads off the main thread (worker-sha256.ts), in WebAssembly. */
import type { HasherToPage, HashPort, PageToHasher } from "./sha256-messages.ts";
import { serveSha256 } from "./serve-sha256.ts";
import { createWasmSha256 } from "./wasm-sha256.ts";

serveSha256(globalThis as unknown as HashPort<PageToHasher, HasherToPage>, createWasmSha256);
