import type { NatsConnection } from "@nats-io/nats-core";
import { existsSync, readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { memorySink, syntheticByte, syntheticSource, type ServedFile } from "@natster/transfer/testing";
import { downloadFile, openTransfer } from "@natster/transfer";
import { nodeSha256, partialFileSink } from "@natster/transfer/node";
import type { TestUser } from "../support/authority.ts";
import { KiB, sha256, startTransferFixture, withCode, type TransferFixture } from "../support/transfer-fixture.ts";

/** Whole and ranged downloads between two real accounts, with the sender's own account and with two receivers at once. */
describe("transfer protocol v2 between two real accounts: whole and ranged downloads", () => {
  let fixture: TransferFixture;
  let friendConn: NatsConnection;
  let owner: TestUser;
  let friend: TestUser;
  let files: TransferFixture["files"];
  beforeAll(async () => {
    fixture = await startTransferFixture();
    ({ friendConn, owner, friend, files } = fixture);
  });
  afterEach(() => fixture?.stopServers());
  afterAll(() => fixture?.stop());
  const startServer: TransferFixture["startServer"] = (sender, setup) => fixture.startServer(sender, setup);
  const fileNamed = (name: string) => fixture.fileNamed(name);
  const outPath = (name: string) => fixture.outPath(name);

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
});
