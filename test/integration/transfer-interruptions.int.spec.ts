import type { Msg, NatsConnection } from "@nats-io/nats-core";
import { createCurve } from "@nats-io/nkeys";
import { mediaSubject, TransferHeaders, type DownloadRequest } from "@natster/protocol";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Channel, memorySink } from "@natster/transfer/testing";
import { downloadFile, openTransfer } from "@natster/transfer";
import { nodeSha256, partialFileSink } from "@natster/transfer/node";
import { KiB, MiB, sha256, startTransferFixture, withCode, type TransferFixture } from "../support/transfer-fixture.ts";

/** A transfer cut short: the sender dies, the receiver leaves or aborts, stops sending credit, or loses the share. */
describe("transfer protocol v2 between two real accounts: interrupted transfers", () => {
  let fixture: TransferFixture;
  let friendConn: NatsConnection;
  beforeAll(async () => {
    fixture = await startTransferFixture();
    ({ friendConn } = fixture);
  });
  afterEach(() => fixture?.stopServers());
  afterAll(() => fixture?.stop());
  const startServer: TransferFixture["startServer"] = (sender, setup) => fixture.startServer(sender, setup);
  const fileNamed = (name: string) => fixture.fileNamed(name);
  const outPath = (name: string) => fixture.outPath(name);

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

  it("revoking the share mid-transfer stops it at the next credit: the receiver gets FORBIDDEN, worded as a refused request is", async () => {
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
    await expect(download).rejects.toThrow(/^catalog 'movies' is not shared with you \(any more\)$/);
    expect(await (await server.transfers.next(2000, "the revoked transfer")).done).toMatchObject({ reason: "revoked" });
  });
});
