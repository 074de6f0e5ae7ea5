/**
 * Incremental SHA-256. WebCrypto only hashes whole buffers, so browsers use the pure-JS
 * `createSha256` below (the web app runs it on a worker thread); Node injects node:crypto's,
 * on the caller's thread (`nodeSha256`) or on a thread of its own (`threadedSha256`, src/node).
 */
export interface Sha256 {
  /**
   * Hashes `data` (or takes a copy to hash): the caller may reuse or transfer `data` right after.
   * A hasher on another thread returns a promise while it is too far behind; the caller waits for
   * it before the next update, which bounds the bytes queued for hashing.
   */
  update(data: Uint8Array): void | Promise<void>;
  /** The 32-byte digest; the hasher cannot be used afterwards. */
  digest(): Uint8Array | Promise<Uint8Array>;
}

export type Sha256Factory = () => Sha256;

/** A hasher on the caller's thread: nothing to wait for. */
export interface SyncSha256 extends Sha256 {
  update(data: Uint8Array): void;
  digest(): Uint8Array;
}

// prettier-ignore
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const INITIAL = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

class PureSha256 implements SyncSha256 {
  private readonly state = new Int32Array(INITIAL);
  private readonly w = new Int32Array(64);
  private readonly pending = new Uint8Array(64);
  private readonly pendingView = new DataView(this.pending.buffer);
  private pendingLength = 0;
  private totalBytes = 0;
  private finished = false;

  update(data: Uint8Array): void {
    if (this.finished) throw new Error("SHA-256: update() after digest()");
    this.totalBytes += data.length;
    let pos = 0;
    if (this.pendingLength > 0) {
      pos = Math.min(64 - this.pendingLength, data.length);
      this.pending.set(data.subarray(0, pos), this.pendingLength);
      this.pendingLength += pos;
      if (this.pendingLength < 64) return;
      this.compress(this.pendingView, 0);
      this.pendingLength = 0;
    }
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    for (; data.length - pos >= 64; pos += 64) this.compress(view, pos);
    if (pos < data.length) {
      this.pending.set(data.subarray(pos));
      this.pendingLength = data.length - pos;
    }
  }

  digest(): Uint8Array {
    if (this.finished) throw new Error("SHA-256: digest() called twice");
    this.finished = true;
    const { pending, pendingView } = this;
    pending[this.pendingLength] = 0x80;
    pending.fill(0, this.pendingLength + 1);
    if (this.pendingLength >= 56) {
      this.compress(pendingView, 0);
      pending.fill(0);
    }
    // The message length in bits as a 64-bit big-endian number, without 32-bit overflow.
    pendingView.setUint32(56, Math.floor(this.totalBytes / 0x20000000));
    pendingView.setUint32(60, (this.totalBytes % 0x20000000) * 8);
    this.compress(pendingView, 0);
    const out = new Uint8Array(32);
    const outView = new DataView(out.buffer);
    for (let i = 0; i < 8; i++) outView.setInt32(i * 4, this.state[i]!);
    return out;
  }

  private compress(view: DataView, offset: number): void {
    const { w, state } = this;
    for (let i = 0; i < 16; i++) w[i] = view.getInt32(offset + i * 4);
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15]!;
      const y = w[i - 2]!;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
    }
    let a = state[0]!,
      b = state[1]!,
      c = state[2]!,
      d = state[3]!;
    let e = state[4]!,
      f = state[5]!,
      g = state[6]!,
      h = state[7]!;
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (h + S1 + (g ^ (e & (f ^ g))) + K[i]! + w[i]!) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) | (c & (a | b)))) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    state[0] = (state[0]! + a) | 0;
    state[1] = (state[1]! + b) | 0;
    state[2] = (state[2]! + c) | 0;
    state[3] = (state[3]! + d) | 0;
    state[4] = (state[4]! + e) | 0;
    state[5] = (state[5]! + f) | 0;
    state[6] = (state[6]! + g) | 0;
    state[7] = (state[7]! + h) | 0;
  }
}

/** A pure-JS incremental SHA-256 (browsers; Node prefers `nodeSha256`). */
export const createSha256 = (): SyncSha256 => new PureSha256();
