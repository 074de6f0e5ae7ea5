/** A transferable ArrayBuffer holding exactly these bytes (copied only when the chunk is a view into a larger buffer). */
export function ownBuffer(chunk: Uint8Array): ArrayBuffer {
  if (chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength && chunk.buffer instanceof ArrayBuffer)
    return chunk.buffer;
  return chunk.slice().buffer;
}
