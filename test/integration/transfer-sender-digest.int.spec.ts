import type { Msg, NatsConnection } from "@nats-io/nats-core";
import { downloadSubject, TransferHeaders } from "@natster/protocol";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  downloadFile,
  serveDownload,
  type DownloadFileOptions,
  type SenderConnection,
  type SenderTransfer,
} from "@natster/transfer";
import { fileSource, nodeChunkCipher, nodeSha256, partialFileSink } from "@natster/transfer/node";
import { changedAt, KiB, useTransferFixture, withCode } from "../support/transfer-fixture.ts";

/** A receiver that must not hash: the sender's digest, authenticated in the final chunk, stands for it. */
const mustNotHash = () => {
  throw new Error("the receiver hashed although the sender stated the digest");
};

/**
 * The sender's digest (DownloadRequest.sender_digest): the catalog server hashes the whole file as
 * it sends it and ends the final chunk's plaintext with the SHA-256, under that chunk's AES-GCM
 * tag. A receiver that asks for it (the browser) verifies it against the catalog hash instead of
 * hashing every byte itself; a file that changed at the source still fails with HASH_MISMATCH.
 */
describe("transfer protocol v2 between two real accounts: the sender's SHA-256 in the final chunk", () => {
  const suite = useTransferFixture();
  /** A whole-file download that asks for the sender's digest and must not hash. */
  const digestDownload = async (hash: string, out: string, extra: Partial<DownloadFileOptions> = {}) =>
    downloadFile({
      nc: suite().friendConn,
      catalog: "movies",
      hash,
      sink: await partialFileSink(out),
      senderDigest: true,
      sha256: mustNotHash,
      ...extra,
    });

  it.each([
    ["WebCrypto and pure-JS SHA-256 on the sender", {}],
    ["node:crypto sealing in place and hashing on the sender", { chunkCipher: nodeChunkCipher, sha256: nodeSha256 }],
  ])(
    "with %s, an empty, a one-chunk and a multi-chunk file verify by the sender's digest without the receiver hashing",
    async (_what, sender) => {
      const server = await suite().startServer(sender);
      for (const name of ["empty.bin", "small.txt", "medium.bin"]) {
        const file = suite().fileNamed(name);
        const out = suite().outPath(`digest-${name}`);
        const result = await digestDownload(file.hash, out, { chunkCipher: nodeChunkCipher, chunkSize: 256 * KiB });
        expect(result).toMatchObject({ verified: "sender-sha256", bytes: file.content.length });
        // Buffer.equals, not toEqual: a deep equality walks MiBs one element at a time.
        expect(readFileSync(out).equals(Buffer.from(file.content)), `${name} on disk`).toBe(true);
        expect(await (await server.transfers.next(2000, `the ${name} transfer`)).done).toMatchObject({
          reason: "complete",
          bytes: file.content.length,
          statedDigest: file.hash,
        });
      }
    },
  );

  it("a file that changed at the source after it was catalogued fails with HASH_MISMATCH: no final file, no partial", async () => {
    const medium = suite().fileNamed("medium.bin");
    const changed = changedAt(medium, 2 * 256 * KiB + 9);
    const server = await suite().startServer(
      { chunkCipher: nodeChunkCipher, sha256: nodeSha256 },
      { files: new Map([[medium.hash, changed]]) },
    );
    const out = suite().outPath("digest-changed");
    await expect(digestDownload(medium.hash, out, { chunkSize: 256 * KiB })).rejects.toThrow(withCode("HASH_MISMATCH"));
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.partial`)).toBe(false);
    // The sender hashed what it sent, so the owner's log can say the file changed.
    const sent = await (await server.transfers.next(2000, "the changed file's transfer")).done;
    expect(sent.statedDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(sent.statedDigest).not.toBe(medium.hash);
  });

  it("a digest altered in transit fails the final chunk's tag: CHUNK_REJECTED, and nothing appears under the final name", async () => {
    const alterDigest = (nc: NatsConnection): SenderConnection => ({
      publish: (subject, payload, opts) => {
        const final = opts?.headers?.get(TransferHeaders.final) === "true" && payload instanceof Uint8Array;
        // The digest is the last 32 plaintext bytes, just before the 16-byte tag.
        const at = payload instanceof Uint8Array ? payload.length - 16 - 3 : -1;
        nc.publish(subject, final ? payload.map((b, i) => (i === at ? b ^ 1 : b)) : payload, opts);
      },
      subscribe: (subject, opts) => nc.subscribe(subject, opts),
      flush: () => nc.flush(),
    });
    await suite().startServer({ chunkCipher: nodeChunkCipher, sha256: nodeSha256 }, { link: alterDigest });
    const small = suite().fileNamed("small.txt");
    const out = suite().outPath("digest-altered");
    await expect(digestDownload(small.hash, out)).rejects.toThrow(withCode("CHUNK_REJECTED"));
    expect(existsSync(out)).toBe(false);
  });

  it("a catalog server that does not offer the digest (an older one) leaves it off its reply, and the receiver hashes the file itself", async () => {
    const medium = suite().fileNamed("medium.bin");
    const nc = await suite().owner.connect("older-server");
    const transfers: SenderTransfer[] = [];
    // An older server decodes the request without knowing sender_digest: it serves the request as if it were not there.
    const withoutDigest = (msg: Msg): Msg => {
      const { sender_digest: _unknown, ...older } = JSON.parse(new TextDecoder().decode(msg.data)) as Record<
        string,
        unknown
      >;
      return Object.defineProperty(Object.create(msg) as Msg, "data", {
        value: new TextEncoder().encode(JSON.stringify(older)),
      });
    };
    const sub = nc.subscribe(`*.${downloadSubject("movies")}`, {
      callback: (_e, msg) =>
        void fileSource(medium.path).then((source) =>
          transfers.push(
            serveDownload({
              nc,
              msg: withoutDigest(msg),
              requester: msg.subject.split(".", 1)[0],
              catalog: "movies",
              source,
              file: medium,
              options: { chunkCipher: nodeChunkCipher },
            }),
          ),
        ),
    });
    try {
      await nc.flush();
      let hashed = 0;
      const out = suite().outPath("digest-older-server");
      const result = await digestDownload(medium.hash, out, {
        sha256: () => {
          hashed++;
          return nodeSha256();
        },
        chunkCipher: nodeChunkCipher,
      });
      expect(result).toMatchObject({ verified: "sha256", bytes: medium.content.length });
      expect(hashed).toBe(1);
      expect(readFileSync(out).equals(Buffer.from(medium.content))).toBe(true);
      expect(transfers).toHaveLength(1);
      expect(await transfers[0]!.done).toMatchObject({ reason: "complete" });
    } finally {
      sub.unsubscribe();
      await nc.close();
    }
  });
});
