/**
 * WebCrypto takes a BufferSource, which the DOM types spell `Uint8Array<ArrayBuffer>`; NATS hands out
 * `Uint8Array<ArrayBufferLike>`. The same bytes when they lie in an ArrayBuffer (always, in practice),
 * a copy only if they are shared memory.
 */
export const bufferSource = (bytes: Uint8Array): Uint8Array<ArrayBuffer> =>
  bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : Uint8Array.from(bytes);
