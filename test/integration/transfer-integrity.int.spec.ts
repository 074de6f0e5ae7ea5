import type { NatsConnection } from "@nats-io/nats-core";
import { TransferHeaders } from "@natster/protocol";
import { existsSync, readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { downloadFile, type SenderConnection } from "@natster/transfer";
import { nodeChunkCipher, nodeSha256, partialFileSink } from "@natster/transfer/node";
import { changedAt, KiB, startTransferFixture, withCode, type TransferFixture } from "../support/transfer-fixture.ts";

/** Bytes changed on the way or at the source never reach the final name: AEAD per chunk, SHA-256 over the file. */
describe("transfer protocol v2 between two real accounts: tampered and corrupted bytes", () => {
  let fixture: TransferFixture;
  let friendConn: NatsConnection;
  beforeAll(async () => {
    fixture = await startTransferFixture();
    ({ friendConn } = fixture);
  });
  afterEach(() => fixture?.stopServers());
  afterAll(() => fixture?.stop());
  const startServer: TransferFixture["startServer"] = (sender, setup) => fixture.startServer(sender, setup);
  const stopServers = () => fixture.stopServers();
  const fileNamed = (name: string) => fixture.fileNamed(name);
  const outPath = (name: string) => fixture.outPath(name);

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
    const download = async (out: string, window?: number) =>
      downloadFile({
        nc: friendConn,
        catalog: "movies",
        hash: medium.hash,
        sink: await partialFileSink(out),
        sha256: nodeSha256,
        chunkCipher: nodeChunkCipher,
        chunkSize: 256 * KiB,
        ...(window ? { window } : {}),
      });

    const honest = await startServer({ chunkCipher: nodeChunkCipher });
    const out = outPath("in-place");
    expect(await download(out)).toMatchObject({ verified: "sha256", bytes: medium.content.length });
    // Buffer.equals, not toEqual: a deep equality walks 3 MiB one element at a time (≈ 20 s).
    expect(readFileSync(out).equals(Buffer.from(medium.content))).toBe(true);
    expect(await (await honest.transfers.next(2000, "the in-place transfer")).done).toMatchObject({
      reason: "complete",
    });
    await stopServers();

    const tampering = await startServer({ chunkCipher: nodeChunkCipher }, { link: tamperChunk1 });
    const tamperedOut = outPath("in-place-tampered");
    // A window of one chunk: the sender needs credit for chunk 2, which the receiver never grants after
    // rejecting chunk 1, so the sender always hears the cancel (12 chunks would otherwise all fit the window).
    await expect(download(tamperedOut, 1)).rejects.toThrow(withCode("CHUNK_REJECTED"));
    expect(existsSync(tamperedOut)).toBe(false);
    expect(await (await tampering.transfers.next(2000, "the tampered transfer")).done).toMatchObject({
      reason: "cancelled",
    });
  });

  it("a file corrupted between hashing and sending fails SHA-256: no final file, no partial", async () => {
    const small = fileNamed("small.txt");
    const corrupt = changedAt(small, 0);
    await startServer({}, { files: new Map([[small.hash, corrupt]]) });
    const out = outPath("corrupt");
    await expect(
      downloadFile({ nc: friendConn, catalog: "movies", hash: small.hash, sink: await partialFileSink(out) }),
    ).rejects.toThrow(withCode("HASH_MISMATCH"));
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.partial`)).toBe(false);
  });
});
