import { open, rename, rm, stat } from "node:fs/promises";
import type { ErrorCode } from "@natster/protocol";
import type { Sha256Factory } from "../sha256.ts";
import type { TransferSink } from "../types.ts";
import { hashFilePrefix, nodeSha256 } from "./node-sha256.ts";

export type PartialFileSink = TransferSink & {
  /** `<out>.partial`: where bytes land until they are verified. */
  partialPath: string;
  outPath: string;
};

export type PartialFileSinkOptions = {
  /** Continue after an existing `<out>.partial` (default true); false starts over. */
  resume?: boolean;
  sha256?: Sha256Factory;
};

/** Failures after which the partial bytes cannot be trusted or reused. */
const DISCARD: readonly ErrorCode[] = ["HASH_MISMATCH", "RANGE_NOT_SATISFIABLE"];

/**
 * Writes to `<out>.partial` and renames it to `<out>` only once downloadFile verified it.
 * An existing partial is resumed: its bytes are hashed first so the whole file is still verified.
 * A download that fails keeps its partial for the next run, unless its bytes cannot be trusted or
 * there are none (a refused request): an empty partial resumes nothing and would only be litter.
 */
export async function partialFileSink(outPath: string, options: PartialFileSinkOptions = {}): Promise<PartialFileSink> {
  const partialPath = `${outPath}.partial`;
  const existing = options.resume === false ? 0 : await sizeOf(partialPath);
  const prefix = existing > 0 ? await hashFilePrefix(partialPath, existing, options.sha256 ?? nodeSha256) : undefined;
  const handle = await open(partialPath, existing > 0 ? "a" : "w");
  let size = existing;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return {
    partialPath,
    outPath,
    ...(prefix ? { resume: { offset: existing, prefix } } : {}),
    async write(chunk) {
      for (let written = 0; written < chunk.length; ) {
        const { bytesWritten } = await handle.write(chunk, written, chunk.length - written);
        written += bytesWritten;
        size += bytesWritten;
      }
    },
    async commit() {
      await handle.sync();
      await close();
      await rename(partialPath, outPath);
    },
    async abort(error) {
      await close();
      if (size === 0 || DISCARD.includes(error.code)) await rm(partialPath, { force: true });
    },
  };
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw error;
  }
}
