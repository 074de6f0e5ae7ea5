import type { Sha256 } from "./sha256.ts";

/**
 * The SHA-256 of chunks that are read concurrently, taken in file order: each chunk's bytes are
 * hashed after every chunk added before it, whichever read finishes first.
 */
export class OrderedDigest {
  private turn: Promise<void> = Promise.resolve();

  constructor(private readonly hasher: Sha256) {}

  /** Call in file order. Settles once `bytes` and every chunk added before them are hashed. */
  add(bytes: Promise<Uint8Array>): Promise<void> {
    const hashed = this.turn.then(async () => {
      await this.hasher.update(await bytes);
    });
    this.turn = hashed;
    return hashed;
  }

  /** The digest of everything added, once it is hashed; the hasher cannot be used afterwards. */
  async digest(): Promise<Uint8Array> {
    await this.turn;
    return this.hasher.digest();
  }
}
