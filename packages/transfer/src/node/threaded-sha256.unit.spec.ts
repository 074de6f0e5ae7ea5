import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { HasherToPage, HashPort, PageToHasher } from "../sha256-messages.ts";
import { MAX_QUEUED_BYTES, workerSha256 } from "../worker-sha256.ts";
import { hashingThread, threadedSha256 } from "./threaded-sha256.ts";

const sha256 = (bytes: Uint8Array) => new Uint8Array(createHash("sha256").update(bytes).digest());

/** Splits `bytes` into pieces of uneven sizes (1 byte up to 300 KiB). */
function pieces(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0, n = 0; at < bytes.length; n++) {
    const size = [1, 63, 64, 65, 4096, 300 * 1024][n % 6]!;
    out.push(bytes.subarray(at, at + size));
    at += size;
  }
  return out;
}

describe("SHA-256 on a thread of its own", () => {
  it("given a file fed in uneven pieces, when it is digested, then the digest is node:crypto's of the whole", async () => {
    const file = randomBytes(3 * 1024 * 1024 + 17);
    const hasher = threadedSha256();
    for (const piece of pieces(file)) await hasher.update(piece);
    expect(await hasher.digest()).toEqual(sha256(file));
  });

  it("given nothing fed, when it is digested, then the digest is that of no bytes", async () => {
    expect(await threadedSha256().digest()).toEqual(sha256(new Uint8Array()));
  });

  it("given the caller overwrites its buffer right after update, when it is digested, then the bytes as they were are hashed", async () => {
    const original = randomBytes(256 * 1024);
    const buffer = new Uint8Array(original);
    const hasher = threadedSha256();
    await hasher.update(buffer);
    buffer.fill(0);
    expect(await hasher.digest()).toEqual(sha256(original));
  });

  it("given more than the queue limit fed without waiting, when the next update comes, then it makes the caller wait, and the digest is still right", async () => {
    const chunk = randomBytes(1024 * 1024);
    const hasher = threadedSha256();
    const answers: unknown[] = [];
    const count = MAX_QUEUED_BYTES / chunk.length + 2;
    for (let i = 0; i < count; i++) answers.push(hasher.update(chunk));
    expect(answers.slice(0, MAX_QUEUED_BYTES / chunk.length).every((a) => a === undefined)).toBe(true);
    expect(answers.at(-1)).toBeInstanceOf(Promise);
    await Promise.all(answers);
    const whole = new Uint8Array(chunk.length * count);
    for (let i = 0; i < count; i++) whole.set(chunk, i * chunk.length);
    expect(await hasher.digest()).toEqual(sha256(whole));
  });

  it("given two hashers fed in turns, when both are digested, then each has the digest of its own bytes", async () => {
    const a = randomBytes(500_000);
    const b = randomBytes(700_001);
    const [ha, hb] = [threadedSha256(), threadedSha256()];
    const [pa, pb] = [pieces(a), pieces(b)];
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
      if (pa[i]) await ha.update(pa[i]!);
      if (pb[i]) await hb.update(pb[i]!);
    }
    const [da, db] = await Promise.all([ha.digest(), hb.digest()]);
    expect(da).toEqual(sha256(a));
    expect(db).toEqual(sha256(b));
  });

  it("given a digested hasher, when it is fed or digested again, then it refuses", async () => {
    const hasher = threadedSha256();
    await hasher.update(Uint8Array.of(1, 2, 3));
    await hasher.digest();
    await expect(hasher.update(Uint8Array.of(4))).rejects.toThrow(/already digested/);
    await expect(hasher.digest()).rejects.toThrow(/already digested/);
  });

  it("given the hashing thread dies under a download, when the next download hashes, then the first fails with INTERNAL and the next gets a new thread and the right digest", async () => {
    const threads: HashPort<HasherToPage, PageToHasher>[] = [];
    const factory = workerSha256(() => {
      const thread = hashingThread();
      threads.push(thread);
      return thread;
    });
    const dying = factory();
    await dying.update(randomBytes(1000));
    // A message the thread cannot take: it throws, and a Node worker that throws ends.
    threads[0]!.postMessage({ type: "update", id: 0, buffer: undefined as unknown as ArrayBuffer, length: 1 });
    await expect(dying.digest()).rejects.toMatchObject({
      code: "INTERNAL",
      message: expect.stringMatching(/cannot be verified/) as string,
    });
    const file = randomBytes(600_000);
    const next = factory();
    await next.update(file);
    expect(await next.digest()).toEqual(sha256(file));
    expect(threads).toHaveLength(2);
  });
});
