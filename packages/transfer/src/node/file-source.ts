import { open } from "node:fs/promises";
import type { TransferSource } from "../types.ts";

/** Serves ranges of a file on disk; reads exactly what is asked, when it is asked. */
export async function fileSource(path: string): Promise<TransferSource> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    return {
      size,
      async read(offset, length, into) {
        const buffer = into && into.length >= length ? into.subarray(0, length) : new Uint8Array(length);
        let filled = 0;
        while (filled < length) {
          const { bytesRead } = await handle.read(buffer, filled, length - filled, offset + filled);
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
        return filled === length ? buffer : buffer.subarray(0, filled);
      },
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
