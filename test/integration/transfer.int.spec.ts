import type { Msg, NatsConnection } from "@nats-io/nats-core";
import { createCurve } from "@nats-io/nkeys";
import { mediaSubject, TransferHeaders, type DownloadRequest } from "@natster/protocol";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  Channel,
  memorySink,
  serveCatalog,
  syntheticByte,
  syntheticSource,
  type CatalogServer,
  type ServedFile,
} from "@natster/transfer/testing";
import { downloadFile, openTransfer, type SenderConnection, type SenderOptions } from "@natster/transfer";
import { fileSource, nodeChunkCipher, nodeSha256, partialFileSink } from "@natster/transfer/node";
import { type TestUser, ownerAndFriend, withAuthority } from "../support/authority.ts";
import { startTestStack, type TestStack } from "../support/test-stack.ts";

const KiB = 1024;
const MiB = 1024 * KiB;
const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");
const withCode = (code: string) => expect.objectContaining({ code }) as Error;

describe("transfer protocol v2 between two real accounts", () => {
  let stack: TestStack;
  let owner: TestUser;
  let friend: TestUser;
  let friendConn: NatsConnection;
  let dir: string;
  const files = new Map<string, ServedFile & { path: string; content: Uint8Array }>();
  const servers: (CatalogServer & { nc: NatsConnection })[] = [];
  const fileNamed = (name: string) => [...files.values()].find((f) => f.path.endsWith(name))!;

  beforeAll(async () => {
    stack = await startTestStack();
    const { authority } = await withAuthority(stack);
    ({ owner, friend } = await ownerAndFriend(stack, authority, ["movies", "silent"]));
    friendConn = await friend.connect("friend");
    dir = mkdtempSync(join(tmpdir(), "natster-transfer-"));
    for (const [name, size] of [
      ["empty.bin", 0],
      ["small.txt", 1000],
      ["medium.bin", 3 * MiB + 123],
    ] as const) {
      const path = join(dir, name);
      const content = new Uint8Array(randomBytes(size));
      writeFileSync(path, content);
      const hash = sha256(content);
      files.set(hash, { path, content, hash, mime_type: "application/octet-stream", open: () => fileSource(path) });
    }
  });
  const stopServers = async () => {
    for (const server of servers.splice(0)) {
      await server.stop();
      await server.nc.close();
    }
  };
  afterEach(stopServers);
  afterAll(async () => {
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  type ServerSetup = {
    files?: ReadonlyMap<string, ServedFile>;
    link?: (nc: NatsConnection) => SenderConnection;
    authorize?: (requester: string | undefined) => boolean;
  };
  async function startServer(sender: SenderOptions = {}, setup: ServerSetup = {}) {
    const nc = await owner.connect("owner-server");
    const server = serveCatalog(nc, "movies", {
      files: setup.files ?? files,
      sender,
      authorize: setup.authorize,
      link: setup.link?.(nc) ?? nc,
    });
    await nc.flush();
    const running = Object.assign(server, { nc });
    servers.push(running);
    return running;
  }

  const outPath = (name: string) => join(dir, `${name}-${randomBytes(4).toString("hex")}.out`);

  it("downloads an empty, a small and a multi-MiB file, each verified by SHA-256 before it gets its final name", async () => {
    const server = await startServer();
    for (const file of files.values()) {
      const out = outPath("whole");
      const result = await downloadFile({
        nc: friendConn,
        catalog: "movies",
        hash: file.hash,
        sink: await partialFileSink(out),
        sha256: nodeSha256,
      });
      expect(result).toMatchObject({ verified: "sha256", bytes: file.content.length, offset: 0 });
      expect(sha256(readFileSync(out))).toBe(file.hash);
      expect(existsSync(`${out}.partial`)).toBe(false);
      expect(await (await server.transfers.next(2000, "the sender's transfer")).done).toMatchObject({
        reason: "complete",
        bytes: file.content.length,
      });
    }
  });

  it("a same-account (local) download uses the plain subjects and verifies with the pure-JS hasher", async () => {
    await startServer();
    const local = await owner.connect("owner-cli");
    const medium = fileNamed("medium.bin");
    const sink = memorySink();
    expect(await downloadFile({ nc: local, catalog: "movies", hash: medium.hash, sink })).toMatchObject({
      verified: "sha256",
    });
    expect(sha256(sink.bytes())).toBe(medium.hash);
  });

  it("two receivers in the same account downloading the same file at once never mix (upstream bug 5)", async () => {
    await startServer();
    const second = await friend.connect("friend-2");
    const medium = fileNamed("medium.bin");
    const sinks = [memorySink(), memorySink()];
    const results = await Promise.all(
      [friendConn, second].map((nc, i) =>
        downloadFile({ nc, catalog: "movies", hash: medium.hash, sink: sinks[i]!, window: 2, chunkSize: 16 * KiB }),
      ),
    );
    expect(results.map((r) => r.verified)).toEqual(["sha256", "sha256"]);
    expect(sinks.map((s) => sha256(s.bytes()))).toEqual([medium.hash, medium.hash]);
  });

  it("a range request returns exactly those bytes; a range past the end is 416", async () => {
    await startServer();
    const medium = fileNamed("medium.bin");
    const sink = memorySink();
    const result = await downloadFile({
      nc: friendConn,
      catalog: "movies",
      hash: medium.hash,
      sink,
      offset: 1_000_001,
      length: 300_000,
    });
    expect(result).toMatchObject({ verified: "length", bytes: 300_000 });
    expect(sha256(sink.bytes())).toBe(sha256(medium.content.subarray(1_000_001, 1_300_001)));
    const pastEnd = {
      nc: friendConn,
      catalog: "movies",
      hash: medium.hash,
      offset: medium.content.length - 10,
      length: 11,
    };
    await expect(openTransfer(pastEnd)).rejects.toThrow(withCode("RANGE_NOT_SATISFIABLE"));
  });

  it("resumes from the .partial after the sender dies mid-transfer, and ends verified", async () => {
    const medium = fileNamed("medium.bin");
    const out = outPath("resume");
    const dying = await startServer();
    let killed = false;
    const first = downloadFile({
      nc: friendConn,
      catalog: "movies",
      hash: medium.hash,
      sink: await partialFileSink(out),
      window: 4,
      chunkSize: 16 * KiB,
      idleTimeoutMs: 500,
      onProgress: ({ received }) => {
        if (received < MiB || killed) return;
        killed = true;
        void dying.nc.close();
      },
    });
    await expect(first).rejects.toThrow(withCode("TIMEOUT"));
    expect(await (await dying.transfers.next(2000, "the dying transfer")).done).toMatchObject({ reason: "error" });
    const kept = statSync(`${out}.partial`).size;
    expect(kept).toBeGreaterThanOrEqual(MiB);
    expect(kept).toBeLessThan(medium.content.length);
    expect(existsSync(out)).toBe(false);

    await startServer();
    const resumed = await downloadFile({
      nc: friendConn,
      catalog: "movies",
      hash: medium.hash,
      sink: await partialFileSink(out),
      sha256: nodeSha256,
    });
    expect(resumed).toMatchObject({
      offset: kept,
      bytes: medium.content.length - kept,
      total: medium.content.length,
      verified: "sha256",
    });
    expect(sha256(readFileSync(out))).toBe(medium.hash);
  });

  it("openTransfer streams chunks in order; leaving the loop early or aborting cancels the sender", async () => {
    const server = await startServer();
    const medium = fileNamed("medium.bin");
    const stream = await openTransfer({
      nc: friendConn,
      catalog: "movies",
      hash: medium.hash,
      offset: 65_536,
      chunkSize: 64 * KiB,
    });
    expect(stream.reply).toMatchObject({
      offset: 65_536,
      length: medium.content.length - 65_536,
      chunk_size: 64 * KiB,
      mime_type: "application/octet-stream",
    });
    for await (const chunk of stream) {
      expect(sha256(chunk)).toBe(sha256(medium.content.subarray(65_536, 131_072)));
      break;
    }
    expect(await (await server.transfers.next(2000, "the streamed transfer")).done).toMatchObject({
      reason: "cancelled",
    });

    const controller = new AbortController();
    const aborted = downloadFile({
      nc: friendConn,
      catalog: "movies",
      hash: medium.hash,
      sink: memorySink(),
      window: 2,
      chunkSize: 16 * KiB,
      signal: controller.signal,
      onProgress: ({ received }) => {
        if (received >= 64 * KiB) controller.abort();
      },
    });
    await expect(aborted).rejects.toThrow(withCode("TRANSFER_CANCELLED"));
    expect(await (await server.transfers.next(2000, "the aborted transfer")).done).toMatchObject({
      reason: "cancelled",
    });
  });

  it("a chunk tampered with in transit is rejected, and nothing appears under the final name", async () => {
    const tamperChunk2 = (nc: NatsConnection): SenderConnection => ({
      publish: (subject, payload, opts) => {
        const tampered = opts?.headers?.get(TransferHeaders.chunkIndex) === "2" && payload instanceof Uint8Array;
        nc.publish(subject, tampered ? payload.map((b, i) => (i === 5 ? b ^ 1 : b)) : payload, opts);
      },
      subscribe: (subject, opts) => nc.subscribe(subject, opts),
      flush: () => nc.flush(),
    });
    const server = await startServer({}, { link: tamperChunk2 });
    const medium = fileNamed("medium.bin");
    const out = outPath("tampered");
    const download = downloadFile({
      nc: friendConn,
      catalog: "movies",
      hash: medium.hash,
      sink: await partialFileSink(out),
      chunkSize: 64 * KiB,
    });
    await expect(download).rejects.toThrow(withCode("CHUNK_REJECTED"));
    expect(existsSync(out)).toBe(false);
    expect(await (await server.transfers.next(2000, "the tampered transfer")).done).toMatchObject({
      reason: "cancelled",
    });
  });

  it("with node:crypto on both ends (sealing and opening in place), a multi-chunk download is verified and a tampered chunk is rejected", async () => {
    const tamperChunk1 = (nc: NatsConnection): SenderConnection => ({
      publish: (subject, payload, opts) => {
        const tampered = opts?.headers?.get(TransferHeaders.chunkIndex) === "1" && payload instanceof Uint8Array;
        nc.publish(subject, tampered ? payload.map((b, i) => (i === 70_000 ? b ^ 1 : b)) : payload, opts);
      },
      subscribe: (subject, opts) => nc.subscribe(subject, opts),
      flush: () => nc.flush(),
    });
    const medium = fileNamed("medium.bin");
    const download = async (out: string) =>
      downloadFile({
        nc: friendConn,
        catalog: "movies",
        hash: medium.hash,
        sink: await partialFileSink(out),
        sha256: nodeSha256,
        chunkCipher: nodeChunkCipher,
        chunkSize: 256 * KiB,
      });

    const honest = await startServer({ chunkCipher: nodeChunkCipher });
    const out = outPath("in-place");
    expect(await download(out)).toMatchObject({ verified: "sha256", bytes: medium.content.length });
    expect(readFileSync(out)).toEqual(Buffer.from(medium.content));
    expect(await (await honest.transfers.next(2000, "the in-place transfer")).done).toMatchObject({
      reason: "complete",
    });
    await stopServers();

    const tampering = await startServer({ chunkCipher: nodeChunkCipher }, { link: tamperChunk1 });
    const tamperedOut = outPath("in-place-tampered");
    await expect(download(tamperedOut)).rejects.toThrow(withCode("CHUNK_REJECTED"));
    expect(existsSync(tamperedOut)).toBe(false);
    expect(await (await tampering.transfers.next(2000, "the tampered transfer")).done).toMatchObject({
      reason: "cancelled",
    });
  });

  it("a file corrupted between hashing and sending fails SHA-256: no final file, no partial", async () => {
    const small = fileNamed("small.txt");
    const corrupt: ServedFile = {
      ...small,
      open: async () => {
        const source = await fileSource(small.path);
        return {
          ...source,
          read: async (offset, length) => (await source.read(offset, length)).map((b, i) => (i === 0 ? b ^ 0xff : b)),
        };
      },
    };
    await startServer({}, { files: new Map([[small.hash, corrupt]]) });
    const out = outPath("corrupt");
    await expect(
      downloadFile({ nc: friendConn, catalog: "movies", hash: small.hash, sink: await partialFileSink(out) }),
    ).rejects.toThrow(withCode("HASH_MISMATCH"));
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.partial`)).toBe(false);
  });

  it("a receiver that never sends credit gets exactly its initial credit, then the sender stops as stalled", async () => {
    const stallTimeoutMs = 300;
    const server = await startServer({ stallTimeoutMs });
    const medium = fileNamed("medium.bin");
    const transferId = randomBytes(16).toString("hex");
    const arrived = new Channel<Msg>();
    const sub = friendConn.subscribe(mediaSubject("movies", transferId), { callback: (_e, m) => arrived.push(m) });
    const request: DownloadRequest = {
      version: 2,
      hash: medium.hash,
      receiver_xkey: createCurve().getPublicKey(),
      transfer_id: transferId,
      credit: 2,
      chunk_size: 16 * KiB,
    };
    await friendConn.request("natster.catalog.movies.download", JSON.stringify(request), { timeout: 2000 });
    const stats = await (await server.transfers.next(2000, "the stalled transfer")).done;
    expect(stats).toMatchObject({ reason: "stalled", chunks: 2 });
    const headersOf = async () => (await arrived.next(2000, "a message on the media subject")).headers;
    expect([
      (await headersOf())?.get(TransferHeaders.chunkIndex),
      (await headersOf())?.get(TransferHeaders.chunkIndex),
    ]).toEqual(["0", "1"]);
    expect((await headersOf())?.get(TransferHeaders.error)).toBe("TRANSFER_STALLED");
    sub.unsubscribe();
  });

  it("revoking the share mid-transfer stops it at the next credit: the receiver gets FORBIDDEN", async () => {
    let shared = true;
    const server = await startServer({ authorizeCredit: () => Promise.resolve(shared) });
    const medium = fileNamed("medium.bin");
    const download = downloadFile({
      nc: friendConn,
      catalog: "movies",
      hash: medium.hash,
      sink: memorySink(),
      window: 2,
      chunkSize: 16 * KiB,
      onProgress: ({ received }) => {
        if (received >= 256 * KiB) shared = false;
      },
    });
    await expect(download).rejects.toThrow(withCode("FORBIDDEN"));
    expect(await (await server.transfers.next(2000, "the revoked transfer")).done).toMatchObject({ reason: "revoked" });
  });

  it("plaintext transfers are refused unless the server allows them", async () => {
    const small = fileNamed("small.txt");
    const plain = { nc: friendConn, catalog: "movies", hash: small.hash, cipher: "none" } as const;
    await startServer();
    await expect(downloadFile({ ...plain, sink: memorySink() })).rejects.toThrow(withCode("PLAINTEXT_REFUSED"));
    await stopServers();
    await startServer({ allowPlaintext: true });
    expect(await downloadFile({ ...plain, sink: memorySink() })).toMatchObject({ verified: "sha256" });
  });

  it("ranges of a 5 GiB (synthetic) file past 4 GiB carry exactly the right bytes", async () => {
    const size = 5 * 2 ** 30;
    const hash = "ab".repeat(32);
    let bytesRead = 0;
    const countReads = (_offset: number, length: number) => void (bytesRead += length);
    const synthetic: ServedFile = {
      hash,
      mime_type: "video/mp4",
      open: () => Promise.resolve(syntheticSource(size, countReads)),
    };
    await startServer({}, { files: new Map([[hash, synthetic]]) });
    const expected = (offset: number, length: number) =>
      Uint8Array.from({ length }, (_, i) => syntheticByte(offset + i));
    for (const [offset, length] of [
      [2 ** 32 + 12_345, 300_000],
      [size - 70_000, undefined],
    ] as const) {
      const sink = memorySink();
      const result = await downloadFile({
        nc: friendConn,
        catalog: "movies",
        hash,
        sink,
        offset,
        length,
        chunkSize: 64 * KiB,
      });
      expect(result).toMatchObject({ verified: "length", offset });
      expect(sha256(sink.bytes())).toBe(sha256(expected(offset, length ?? size - offset)));
    }
    expect(bytesRead, "the sender reads lazily: only the requested ranges").toBe(300_000 + 70_000);
    await expect(openTransfer({ nc: friendConn, catalog: "movies", hash, offset: size + 1 })).rejects.toThrow(
      withCode("RANGE_NOT_SATISFIABLE"),
    );
  });

  it("unshared catalogs, unknown files, catalogs nobody serves and silent servers give typed errors", async () => {
    const friendKey = friend.account.getPublicKey();
    await startServer({}, { authorize: (requester) => requester !== friendKey });
    const base = { nc: friendConn, hash: "cd".repeat(32), requestTimeoutMs: 300 };
    const refused = openTransfer({ ...base, catalog: "movies" });
    await expect(refused).rejects.toThrow(withCode("FORBIDDEN"));
    await expect(refused).rejects.toThrow(/not shared with you/);
    await stopServers();
    await startServer();
    await expect(openTransfer({ ...base, catalog: "movies" })).rejects.toThrow(withCode("NOT_FOUND"));
    await expect(openTransfer({ ...base, catalog: "nobody" })).rejects.toThrow(withCode("CATALOG_OFFLINE"));
    const silent = await owner.connect("owner-silent");
    silent.subscribe("*.natster.catalog.silent.download", { callback: () => undefined });
    await silent.flush();
    const silence = openTransfer({ ...base, catalog: "silent" });
    await expect(silence).rejects.toThrow(withCode("TIMEOUT"));
    await expect(silence).rejects.toThrow(/did not answer within 300 ms.*natster catalog serve silent/);
  });
});
