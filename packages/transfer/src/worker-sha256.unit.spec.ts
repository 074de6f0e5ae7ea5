import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { serveSha256 } from "./serve-sha256.ts";
import type { HasherToPage, HashPort, PageToHasher } from "./sha256-messages.ts";
import { MAX_QUEUED_BYTES, workerSha256 } from "./worker-sha256.ts";

const KiB = 1024;
const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

/** The reference: WebCrypto's one-shot SHA-256 of the concatenated parts. */
async function sha256(...parts: Uint8Array[]): Promise<string> {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (all.set(p, at), at + p.length), 0);
  return hex(new Uint8Array(await crypto.subtle.digest("SHA-256", all)));
}

function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let at = 0; at < length; at += 65_536) crypto.getRandomValues(bytes.subarray(at, at + 65_536));
  return bytes;
}

/** The page's port to a real worker side (serveSha256) across a real MessageChannel. */
function realWorker(): HashPort<HasherToPage, PageToHasher> {
  const channel = new MessageChannel();
  serveSha256(channel.port2 as unknown as HashPort<PageToHasher, HasherToPage>);
  return channel.port1 as unknown as HashPort<HasherToPage, PageToHasher>;
}

/** A worker that hashes only when the test says so, so a queue can build up deterministically. */
function heldWorker() {
  const held: PageToHasher[] = [];
  const posted: PageToHasher[] = [];
  let terminated = false;
  const page: HashPort<HasherToPage, PageToHasher> = {
    onmessage: null,
    onerror: null,
    postMessage: (message) => void (held.push(message), posted.push(message)),
    terminate: () => void (terminated = true),
  };
  const worker: HashPort<PageToHasher, HasherToPage> = {
    onmessage: null,
    postMessage: (message) => page.onmessage?.({ data: message }),
  };
  serveSha256(worker);
  return {
    page,
    /** Hands the worker everything posted so far. */
    release: () => held.splice(0).forEach((message) => worker.onmessage?.({ data: message })),
    crash: () => page.onerror?.(new Error("the worker crashed")),
    /** Everything the page ever posted, released or not. */
    posted: () => posted,
    terminated: () => terminated,
  };
}

describe("workerSha256 (the page's worker, and Node's hashing thread)", () => {
  it("given two downloads hashed at once by one worker, then each digest is the SHA-256 of its own bytes", async () => {
    const factory = workerSha256(realWorker);
    const a = [randomBytes(300 * KiB), randomBytes(1), randomBytes(64 * KiB + 3)];
    const b = [randomBytes(100 * KiB), randomBytes(7)];
    const ha = factory();
    const hb = factory();
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (a[i]) await ha.update(a[i]!);
      if (b[i]) await hb.update(b[i]!);
    }
    expect(hex(await ha.digest())).toBe(await sha256(...a));
    expect(hex(await hb.digest())).toBe(await sha256(...b));
  });

  it("given a later chunk smaller than the buffer the worker handed back, then only that chunk's bytes are hashed", async () => {
    const factory = workerSha256(realWorker);
    const first = factory();
    await first.update(randomBytes(300 * KiB));
    await first.digest(); // the worker answered "hashed" (with the buffer) before the digest
    const small = [randomBytes(10), randomBytes(3)];
    const second = factory();
    for (const part of small) await second.update(part);
    expect(hex(await second.digest())).toBe(await sha256(...small));
  });

  it("given a chunk whose buffer the page transfers away right after update, then the worker still hashes its bytes", async () => {
    const chunk = randomBytes(256 * KiB);
    const expected = await sha256(chunk);
    const hasher = workerSha256(realWorker)();
    await hasher.update(chunk);
    structuredClone(chunk.buffer, { transfer: [chunk.buffer as ArrayBuffer] });
    expect(chunk.byteLength).toBe(0);
    expect(hex(await hasher.digest())).toBe(expected);
  });

  it("given a worker that falls behind by more than the queue bound, then update waits until the worker caught up", async () => {
    const worker = heldWorker();
    const hasher = workerSha256(() => worker.page)();
    const chunk = new Uint8Array(512 * KiB);
    const chunks = MAX_QUEUED_BYTES / chunk.length;
    for (let i = 0; i < chunks; i++) expect(hasher.update(chunk)).toBeUndefined();
    let resumed = false;
    const waiting = Promise.resolve(hasher.update(chunk)).then(() => (resumed = true));
    await Promise.resolve();
    expect(resumed).toBe(false);
    worker.release();
    await waiting;
    expect(resumed).toBe(true);
    const digest = Promise.resolve(hasher.digest());
    worker.release();
    expect(hex(await digest)).toBe(await sha256(...Array<Uint8Array>(chunks + 1).fill(chunk)));
  });

  it("given a worker that fails, then the downloads it was hashing fail with INTERNAL, and a later download gets a new worker", async () => {
    const workers = [heldWorker(), heldWorker()];
    let connected = 0;
    const factory = workerSha256(() => workers[connected++]!.page);
    const hasher = factory();
    const notStarted = factory();
    await hasher.update(new Uint8Array(10));
    const digest = Promise.resolve(hasher.digest());
    workers[0]!.crash();
    await expect(digest).rejects.toMatchObject({
      code: "INTERNAL",
      message: expect.stringMatching(/cannot be verified/) as string,
    });
    await expect(hasher.update(new Uint8Array(1))).rejects.toThrow(/SHA-256 worker failed/);
    expect(workers[0]!.terminated()).toBe(true);
    const later = [factory(), notStarted];
    for (const h of later) expect(h.update(Uint8Array.of(7))).toBeUndefined();
    const digests = later.map((h) => Promise.resolve(h.digest()));
    workers[1]!.release();
    for (const d of digests) expect(hex(await d)).toBe(await sha256(Uint8Array.of(7)));
    expect(connected).toBe(2);
  });

  it("given a hasher given up before its digest, when it is garbage-collected, then its worker is told to drop its session", async () => {
    // V8's flags are the process's: exposed only for the one context that hands `gc` out.
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    setFlagsFromString("--no-expose-gc");
    const worker = heldWorker();
    const factory = workerSha256(() => worker.page);
    (() => void factory().update(new Uint8Array(10)))();
    const kept = factory();
    void kept.update(new Uint8Array(3));
    for (let turn = 0; turn < 100 && !worker.posted().some((m) => m.type === "drop"); turn++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    expect(worker.posted().filter((m) => m.type === "drop")).toEqual([{ type: "drop", id: 1 }]);
    const digest = Promise.resolve(kept.digest()); // the hasher still in use keeps its session
    worker.release();
    expect(hex(await digest)).toBe(await sha256(new Uint8Array(3)));
  });
});
