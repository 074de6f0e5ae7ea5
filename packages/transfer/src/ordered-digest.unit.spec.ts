import { describe, expect, it } from "vitest";
import { OrderedDigest } from "./ordered-digest.ts";
import { createSha256 } from "./sha256.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const hex = (digest: Uint8Array) => Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
const sha256Of = (text: string) => {
  const hasher = createSha256();
  hasher.update(bytes(text));
  return hex(hasher.digest());
};

/** A read that finishes when the test says so. */
function pendingRead(): { promise: Promise<Uint8Array>; finish(text: string): void; fail(error: Error): void } {
  let finish!: (value: Uint8Array) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<Uint8Array>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return { promise, finish: (text) => finish(bytes(text)), fail };
}

describe("a digest of chunks read concurrently", () => {
  it("given reads that finish last to first, when all are added in file order, then the digest is that of the file in order", async () => {
    const digest = new OrderedDigest(createSha256());
    const reads = [pendingRead(), pendingRead(), pendingRead()];
    const hashed = reads.map((read) => digest.add(read.promise));
    reads[2]!.finish("three");
    reads[1]!.finish("two,");
    reads[0]!.finish("one,");
    await Promise.all(hashed);
    expect(hex(await digest.digest())).toBe(sha256Of("one,two,three"));
  });

  it("given a later chunk that is read, when an earlier read is still pending, then the later chunk is not hashed yet", async () => {
    const digest = new OrderedDigest(createSha256());
    const first = pendingRead();
    const second = pendingRead();
    let secondHashed = false;
    void digest.add(first.promise);
    void digest.add(second.promise).then(() => (secondHashed = true));
    second.finish("b");
    await Promise.resolve();
    await Promise.resolve();
    expect(secondHashed).toBe(false);
    first.finish("a");
    expect(hex(await digest.digest())).toBe(sha256Of("ab"));
    expect(secondHashed).toBe(true);
  });

  it("given a read that fails, when the digest is asked for, then it fails with that error", async () => {
    const digest = new OrderedDigest(createSha256());
    const read = pendingRead();
    const hashed = digest.add(read.promise);
    read.fail(new Error("the file shrank"));
    await expect(hashed).rejects.toThrow("the file shrank");
    await expect(digest.digest()).rejects.toThrow("the file shrank");
  });

  it("given no chunk at all (an empty file), when the digest is asked for, then it is the SHA-256 of nothing", async () => {
    expect(hex(await new OrderedDigest(createSha256()).digest())).toBe(sha256Of(""));
  });
});
