import type { NatsConnection } from "@nats-io/nats-core";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { memorySink } from "@natster/transfer/testing";
import { downloadFile, openTransfer } from "@natster/transfer";
import { partialFileSink } from "@natster/transfer/node";
import type { TestUser } from "../support/authority.ts";
import { startTransferFixture, withCode, type TransferFixture } from "../support/transfer-fixture.ts";

/** What a catalog server refuses, and the typed error each refusal or silence gives the receiver. */
describe("transfer protocol v2 between two real accounts: refusals and typed errors", () => {
  let fixture: TransferFixture;
  let friendConn: NatsConnection;
  let owner: TestUser;
  let friend: TestUser;
  beforeAll(async () => {
    fixture = await startTransferFixture();
    ({ friendConn, owner, friend } = fixture);
  });
  afterEach(() => fixture?.stopServers());
  afterAll(() => fixture?.stop());
  const startServer: TransferFixture["startServer"] = (sender, setup) => fixture.startServer(sender, setup);
  const stopServers = () => fixture.stopServers();
  const fileNamed = (name: string) => fixture.fileNamed(name);

  it("plaintext transfers are refused unless the server allows them", async () => {
    const small = fileNamed("small.txt");
    const plain = { nc: friendConn, catalog: "movies", hash: small.hash, cipher: "none" } as const;
    await startServer();
    await expect(downloadFile({ ...plain, sink: memorySink() })).rejects.toThrow(withCode("PLAINTEXT_REFUSED"));
    await stopServers();
    await startServer({ allowPlaintext: true });
    expect(await downloadFile({ ...plain, sink: memorySink() })).toMatchObject({ verified: "sha256" });
  });

  it("unshared catalogs, unknown files, catalogs nobody serves and silent servers give typed errors", async () => {
    const friendKey = friend.account.getPublicKey();
    await startServer({}, { authorize: (requester) => requester !== friendKey });
    const base = { nc: friendConn, hash: "cd".repeat(32), requestTimeoutMs: 300 };
    const refused = openTransfer({ ...base, catalog: "movies" });
    await expect(refused).rejects.toThrow(withCode("FORBIDDEN"));
    await expect(refused).rejects.toThrow(/^catalog 'movies' is not shared with you \(any more\)$/);
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

  it("a download refused before its first byte leaves no .partial behind, as `natster catalog download` writes it", async () => {
    await startServer();
    const dir = mkdtempSync(join(tmpdir(), "natster-refused-"));
    try {
      const out = join(dir, "never.bin");
      const sink = await partialFileSink(out);
      expect(existsSync(sink.partialPath)).toBe(true);
      const refused = downloadFile({ nc: friendConn, catalog: "movies", hash: "cd".repeat(32), sink });
      await expect(refused).rejects.toThrow(withCode("NOT_FOUND"));
      expect(existsSync(sink.partialPath)).toBe(false);
      expect(existsSync(out)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
