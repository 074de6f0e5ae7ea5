import { workloadEnvFromCreds } from "@natster/node-kit";
import { randomBytes } from "node:crypto";
import { renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintUserCreds } from "../../cli/src/accounts/user-creds.ts";
import { downloadFile, openTransfer } from "@natster/transfer";
import {
  getPage,
  listAll,
  listingWith,
  requestJson,
  sortedPaths,
  writeUnder,
} from "../../workloads/catalog-server/test/catalog-fixture.ts";
import { memorySink } from "../../workloads/catalog-server/test/memory-sink.ts";
import { startServerProcess } from "../../workloads/catalog-server/test/server-process.ts";
import {
  downloadRequest,
  sha256,
  syntheticEntries,
  writeCatalogFile,
} from "../../workloads/catalog-server/test/synthetic.ts";
import { until } from "@natster/test-kit";
import { startWorld, type ServedCatalog, type World } from "../../workloads/catalog-server/test/world.ts";

type Beat = { catalog: string; account_key: string; revision: number };
const MOVIES = ["/README.txt", "/films/a.mp4", "/films/big.bin"];

describe("catalog server", () => {
  let w: World;
  let movies: ServedCatalog & { root: string };
  const big = randomBytes(1_500_000);
  const beatsOf = (catalog: string) =>
    w.global
      .heartbeatsFrom(w.ownerKey)
      .map((b) => b as Beat)
      .filter((b) => b.catalog === catalog);

  beforeAll(async () => {
    w = await startWorld(["movies"]);
    w.global.share(w.ownerKey, w.friendKey, "movies");
    const files = { "README.txt": "hello", "films/a.mp4": "video-a", "films/big.bin": big };
    movies = await w.serve("movies", files, { catalogName: "Movies", heartbeatMs: 300 });
  });
  afterAll(() => w?.stack.stop());

  it("given the owner, when it lists its own catalog, then every entry comes back without a share check", async () => {
    const asked = w.global.sharesRequests;
    const reply = await getPage(w.ownerNc, "movies");
    expect(reply.data).toMatchObject({ name: "movies", page: 0, page_size: 1000, total_entries: 3, pages: 1 });
    expect(reply.data?.entries).toContainEqual({
      path: "/README.txt",
      description: "Auto-imported library entry",
      mime_type: "text/plain; charset=utf-8",
      byte_size: 5,
      hash: sha256("hello"),
    });
    expect(w.global.sharesRequests).toBe(asked);
  });

  it("given a friend the catalog is shared with, when it lists through its import, then it is served", async () => {
    expect(sortedPaths((await getPage(w.friendNc, "movies")).data)).toEqual(MOVIES);
  });

  it("given an importer without a share, then get and download are refused with 403 FORBIDDEN", async () => {
    expect(await getPage(w.strangerNc, "movies")).toEqual({
      code: 403,
      data: null,
      error: "Forbidden",
      error_code: "FORBIDDEN",
    });
    const refused = downloadFile({ nc: w.strangerNc, catalog: "movies", hash: sha256("hello"), sink: memorySink() });
    await expect(refused).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("given a revoked share, when the owner tells the server its shares changed, then the very next request is refused (and a new share is served at once)", async () => {
    expect((await getPage(w.friendNc, "movies")).code).toBe(200);
    w.global.unshare(w.ownerKey, w.friendKey, "movies");
    expect(await requestJson(w.ownerNc, "natster.catalog.movies.shares-changed")).toMatchObject({ code: 200 });
    expect((await getPage(w.friendNc, "movies")).code).toBe(403);
    w.global.share(w.ownerKey, w.friendKey, "movies");
    expect(await requestJson(w.ownerNc, "natster.catalog.movies.shares-changed")).toMatchObject({ code: 200 });
    expect((await getPage(w.friendNc, "movies")).code).toBe(200);
  });

  it("given an importer, when it sends shares-changed through its import, then nothing answers: only the owner can reload the share list", async () => {
    await expect(
      w.friendNc.request("natster.catalog.movies.shares-changed", new Uint8Array(), { timeout: 1000 }),
    ).rejects.toThrow();
  });

  it("given malformed requests, then they get 4xx envelopes with stable codes and the server keeps serving", async () => {
    expect(await getPage(w.ownerNc, "movies", "{nope")).toMatchObject({ code: 400, error_code: "BAD_JSON" });
    expect(await getPage(w.friendNc, "movies", { page_size: 100_000 })).toMatchObject({
      code: 400,
      error_code: "BAD_REQUEST",
    });
    expect(await requestJson(w.ownerNc, "natster.catalog.movies.download", "[1,2]")).toMatchObject({
      code: 400,
      error_code: "BAD_REQUEST",
    });
    expect(await requestJson(w.ownerNc, "natster.local.frobnicate")).toMatchObject({
      code: 404,
      error_code: "UNKNOWN_VERB",
    });
    expect((await getPage(w.ownerNc, "movies")).code).toBe(200);
  });

  it("given a file, when the owner and the friend download it, then both get the exact bytes (SHA-256 verified)", async () => {
    for (const nc of [w.ownerNc, w.friendNc]) {
      const sink = memorySink();
      const result = await downloadFile({ nc, catalog: "movies", hash: sha256(big), sink });
      expect(result).toMatchObject({ verified: "sha256", total: big.length });
      expect(sink.committed).toBe(true);
      expect(sha256(sink.bytes())).toBe(sha256(big));
    }
  });

  it("given a share revoked mid-transfer while the receiver withholds credit, then the credit it grants next is refused: the transfer stops", async () => {
    const transfer = await openTransfer({
      nc: w.friendNc,
      catalog: "movies",
      hash: sha256(big),
      window: 1,
      chunkSize: 16 * 1024,
    });
    const chunks = transfer[Symbol.asyncIterator]();
    await chunks.next();
    // The receiver holds its credit (window 1, nothing pulled) while the share is revoked.
    w.global.unshare(w.ownerKey, w.friendKey, "movies");
    expect(await requestJson(w.ownerNc, "natster.catalog.movies.shares-changed")).toMatchObject({ code: 200 });
    const drain = async () => {
      for (let step = await chunks.next(); !step.done; step = await chunks.next());
    };
    await expect(drain()).rejects.toMatchObject({ code: "FORBIDDEN" });
    w.global.share(w.ownerKey, w.friendKey, "movies");
    await requestJson(w.ownerNc, "natster.catalog.movies.shares-changed");
  });

  it("given a 100,000-entry catalog, when paged at 5,000, then every entry is listed exactly once under the message limit", async () => {
    writeCatalogFile(w.dirs.home, "big", w.dirs.root("bigroot"), syntheticEntries(100_000));
    await w.serveExisting("big", { rescanOnStart: false, watcher: false });
    const pages = await listAll(w.ownerNc, "big", 5000);
    expect(pages).toHaveLength(20);
    const listed = pages.flatMap((p) => p.entries.map((e) => e.hash));
    expect(new Set(listed).size).toBe(100_000);
    expect(listed).toHaveLength(100_000);
    expect(pages.every((p) => p.total_entries === 100_000 && p.pages === 20)).toBe(true);
    const firstDefault = await getPage(w.ownerNc, "big");
    expect(firstDefault.data).toMatchObject({ page: 0, page_size: 1000, pages: 100 });
    expect(firstDefault.data?.entries).toHaveLength(1000);
  });

  it("given files added, changed, renamed and removed, then get reflects each change without duplicates", async () => {
    const revisionBefore = movies.server.catalog().last_modified;
    const added = writeUnder(movies.root, "new/clip.mp3", "tune");
    await until(() => listingWith(w.ownerNc, "movies", "/new/clip.mp3", sha256("tune")), "the new file");
    writeFileSync(added, "a longer tune");
    const changed = await until(
      () => listingWith(w.ownerNc, "movies", "/new/clip.mp3", sha256("a longer tune")),
      "the new hash",
    );
    expect(changed.filter((e) => e.hash === sha256("tune"))).toEqual([]);
    renameSync(added, join(movies.root, "new", "renamed.mp3"));
    const renamed = await until(() => listingWith(w.ownerNc, "movies", "/new/renamed.mp3"), "the renamed file");
    expect(renamed.map((e) => e.path)).not.toContain("/new/clip.mp3");
    rmSync(join(movies.root, "new"), { recursive: true });
    await until(
      async () => sortedPaths((await getPage(w.ownerNc, "movies")).data).join() === MOVIES.join(),
      "the removal",
    );
    const revision = movies.server.catalog().last_modified;
    expect(revision).toBeGreaterThan(revisionBefore);
    await until(() => beatsOf("movies").some((b) => b.revision === revision), "a heartbeat with the new revision");
  });

  it("given a symlink leading outside the root, then it is never catalogued nor served", async () => {
    writeFileSync(join(w.dirs.base, "secret.txt"), "secret");
    symlinkSync(join(w.dirs.base, "secret.txt"), join(movies.root, "escape.txt"));
    writeUnder(movies.root, "marker.txt", "marker");
    const listed = await until(() => listingWith(w.ownerNc, "movies", "/marker.txt"), "the watcher to settle");
    expect(listed.map((e) => e.path)).not.toContain("/escape.txt");
    const reply = await requestJson(w.ownerNc, "natster.catalog.movies.download", downloadRequest(sha256("secret")));
    expect(reply).toMatchObject({ code: 404, error_code: "NOT_FOUND", error: "Requested File Not Found" });
  });

  it("given entries that escape the root (traversal, or a file swapped for an outside symlink), then downloads are refused", async () => {
    writeFileSync(join(w.dirs.base, "outside.txt"), "outside");
    const forged = {
      path: "/../outside.txt",
      description: "",
      mime_type: "text/plain",
      byte_size: 7,
      hash: sha256("outside"),
    };
    writeCatalogFile(w.dirs.home, "evil", w.dirs.root("evilroot"), [forged]);
    await w.serveExisting("evil", { rescanOnStart: false, watcher: false });
    const traversal = await requestJson(w.ownerNc, "natster.catalog.evil.download", downloadRequest(forged.hash));
    expect(traversal).toMatchObject({ code: 403, error_code: "PATH_OUTSIDE_ROOT" });

    const { root } = await w.serve("frozen", { "b.txt": "bee" }, { rescanOnStart: false, watcher: false });
    unlinkSync(join(root, "b.txt"));
    symlinkSync(join(w.dirs.base, "outside.txt"), join(root, "b.txt"));
    const swapped = await requestJson(w.ownerNc, "natster.catalog.frozen.download", downloadRequest(sha256("bee")));
    expect(swapped).toMatchObject({ code: 403, error_code: "PATH_OUTSIDE_ROOT" });
    expect((await getPage(w.ownerNc, "frozen")).data?.entries).toEqual([]);
  });

  it("given a file modified after hashing, then it is not served under its old hash and the catalog moves to the new one", async () => {
    const { root, server } = await w.serve("stale", { "doc.txt": "first" }, { rescanOnStart: false, watcher: false });
    writeFileSync(join(root, "doc.txt"), "second version");
    const reply = await requestJson(w.ownerNc, "natster.catalog.stale.download", downloadRequest(sha256("first")));
    expect(reply).toMatchObject({ code: 409, error_code: "CONTENT_CHANGED" });
    expect((await getPage(w.ownerNc, "stale")).data?.entries.map((e) => e.hash)).toEqual([sha256("second version")]);
    const revision = server.catalog().last_modified;
    await until(() => beatsOf("stale").some((b) => b.revision === revision), "the new revision's heartbeat");
  });

  it("given a running server, then it heartbeats periodically to the global service and to its own account", async () => {
    await until(() => beatsOf("movies").length >= 3, "three global heartbeats");
    expect(beatsOf("movies")[0]).toEqual({
      catalog: "movies",
      account_key: w.ownerKey,
      revision: expect.any(Number) as number,
    });
    const local = w.localEvents
      .filter((e) => e.subject === "natster.local-events.heartbeat")
      .map((e) => e.body as Beat);
    expect(local.some((b) => b.catalog === "movies" && b.account_key === w.ownerKey)).toBe(true);
  });

  it("given shares to the owner, then the inbox lists the unimported one and omits the imported one", async () => {
    w.global.share(w.friendKey, w.ownerKey, "friendpics");
    w.global.share(w.strangerKey, w.ownerKey, "strangerstuff");
    const inbox = () =>
      requestJson<{ account_key: string; unimported_shares: { catalog: string }[] }>(w.ownerNc, "natster.local.inbox");
    expect((await inbox()).data?.unimported_shares.map((s) => s.catalog).sort()).toEqual([
      "friendpics",
      "strangerstuff",
    ]);
    writeFileSync(
      join(w.dirs.home, "default.context"),
      JSON.stringify({ imports: [{ catalog: "StrangerStuff", from: w.strangerKey }] }),
    );
    const reply = await inbox();
    expect(reply.data?.account_key).toBe(w.ownerKey);
    expect(reply.data?.unimported_shares).toEqual([
      { from_account: w.friendKey, to_account: w.ownerKey, catalog: "friendpics", catalog_online: true, revision: 0 },
    ]);
  });

  it("given the workload process, when it gets SIGTERM, then it announces offline and exits 0", async () => {
    w.dirs.root("musicroot", { "song.mp3": "la la" });
    writeCatalogFile(w.dirs.home, "music", join(w.dirs.base, "musicroot"), []);
    const { creds } = await mintUserCreds(w.ownerKey, w.owner.signingKey, "catalog-workload");
    const env = {
      ...workloadEnvFromCreds(w.stack.url, new TextDecoder().decode(creds)),
      NATSTER_HOME: w.dirs.home,
      NATSTER_CATALOG: "Music",
    };
    const proc = startServerProcess(env);
    w.stack.defer(() => proc.signal("SIGKILL"));
    await until(
      () => listingWith(w.ownerNc, "music", "/song.mp3").catch(() => undefined),
      `the process to serve (output: ${proc.output()})`,
      20_000,
    );
    expect(beatsOf("music").length).toBeGreaterThan(0);
    proc.signal("SIGTERM");
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    await until(
      () => w.global.heartbeatsFrom(w.ownerKey, "offline").some((b) => (b as Beat).catalog === "music"),
      "the global offline",
    );
    expect(
      w.localEvents.some((e) => e.subject === "natster.local-events.offline" && (e.body as Beat).catalog === "music"),
    ).toBe(true);
  });
});
