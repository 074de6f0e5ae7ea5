/** The page's SHA-256 worker: hashes downloads off the main thread (worker-sha256.ts), in WebAssembly. */
import { serveSha256, type HasherToPage, type HashPort, type PageToHasher } from "@natster/transfer";
import { createWasmSha256 } from "./wasm-sha256.ts";

serveSha256(globalThis as unknown as HashPort<PageToHasher, HasherToPage>, createWasmSha256);
