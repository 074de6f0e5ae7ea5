/**
 * End to end, with the real `bin/natster` against the real stack of `natster up`: what happens
 * to a served catalog over time. The catalog server is stopped mid-transfer and the download
 * resumes from its partial file; the server's watcher follows the folder; a catalog of 100,000
 * entries is listed completely. alice serves (through the Nex node), bob receives; one stack.
 */
import type { CatalogSummary } from "@natster/catalog";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notYet, until } from "@natster/test-kit";
import {
  E2eUser,
  failed,
  sha256,
  sha256File,
  show,
  SETUP_TIMEOUT_MS,
  startStack,
  TEARDOWN_TIMEOUT_MS,
  succeeded,
  tearDownStack,
  writeRandomFile,
  type E2eStack,
  type ServedCatalog,
} from "./support/cli-e2e.ts";
import type { DownloadReply } from "./support/sharing-fixture.ts";
import { BIG_DIRS, BIG_ENTRIES, generateBigCatalog, type BigCatalog } from "./support/big-catalog.ts";

const MiB = 2 ** 20;
const LARGE = 64 * MiB;
describe("natster CLI e2e: a served catalog over time (resume after a kill, the watcher, 100k entries)", () => {
  let root: string;
  let stack: E2eStack | undefined;
  let alice: E2eUser;
  let bob: E2eUser;
  let media: string;
  let downloads: string;
  let movies: ServedCatalog | undefined;
  let largeHash: string;
  let big: BigCatalog;
  let bigServe: (ServedCatalog & { spawnedAt: number }) | undefined;

  const out = (name: string) => join(downloads, name);

  /** bob's listing of `catalog`, or undefined while it does not answer. */
  const bobListing = async (catalog: string) => {
    const r = await bob.json("catalog", "contents", catalog);
    return r.code === 0 ? succeeded<CatalogSummary>(r) : undefined;
  };

  /** Another connection's view: nats-server drops a stopped server's subscriptions as it sees them go. */
  const untilBobFindsOffline = (catalog: string) =>
    until(
      async () => {
        const r = await bob.json("catalog", "contents", catalog);
        return r.code !== 0 && failed(r).code === "CATALOG_OFFLINE" ? true : notYet(r.stdout.slice(0, 200));
      },
      `bob finds the removed catalog ${catalog} not online`,
      10_000,
      200,
    );

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "natster-e2e-serving-"));
    media = join(root, "alice-media");
    downloads = join(root, "bob-downloads");
    mkdirSync(media);
    mkdirSync(downloads);
    largeHash = writeRandomFile(join(media, "large.bin"), LARGE);
    writeFileSync(join(media, "hello.txt"), "hello from alice\n");

    const stackHome = join(root, "stack-home");
    const aliceHome = join(root, "alice");
    mkdirSync(aliceHome);
    big = generateBigCatalog(aliceHome, join(root, "alice-big"), join(root, "alice-big-sources"));
    stack = await startStack(stackHome);
    alice = new E2eUser("alice", aliceHome, stack);
    bob = new E2eUser("bob", join(root, "bob"), stack);
    await Promise.all([alice.init(), bob.init()]);
    succeeded(await alice.json("catalog", "new", "movies", "alice's movies", media));
    for (const r of await Promise.all(["movies", "big"].map((c) => alice.json("catalog", "share", c, bob.key))))
      succeeded(r);
    const inbox = succeeded<{ imported: { catalog: string; from: string }[] }>(
      await bob.json("catalog", "inbox", "--import-all"),
    );
    expect(inbox.imported).toEqual(
      expect.arrayContaining([
        { catalog: "movies", from: alice.key },
        { catalog: "big", from: alice.key },
      ]),
    );
    movies = await alice.serve("movies");
    // The 100k catalog's server starts now: its watcher's initial scan and startup rescan of 100k
    // files take a while, and run while the other tests do; its own test waits for them.
    const spawnedAt = Date.now();
    bigServe = { ...(await alice.serve("big")), spawnedAt };
    await until(
      async () => ((await bobListing("movies")) ? true : notYet("no listing yet")),
      "bob can list alice's served catalog",
      30_000,
      200,
    );
  }, SETUP_TIMEOUT_MS);

  afterAll(() => tearDownStack(root), TEARDOWN_TIMEOUT_MS);

  describe("resume after the catalog server is killed mid-transfer", () => {
    const target = () => out("large.bin");
    const partial = () => `${target()}.partial`;

    it("stopping `catalog serve` (Ctrl-C; it stops the workload) mid-transfer fails the download and leaves <out>.partial", async () => {
      // Paced at 2 MiB/s, the 64 MiB download cannot end in under 32 s, so the server is stopped
      // mid-transfer on a fast machine as on a slow one.
      const download = bob.spawn(
        ["--json", "catalog", "download", "movies", largeHash, target(), "--limit-rate", "2M"],
        90_000,
      );
      const seen = await until(
        () => {
          if (!download.running)
            throw new Error(
              `the download ended before the server was stopped:\n${download.stdout}\n${download.stderr}`,
            );
          const size = existsSync(partial()) ? statSync(partial()).size : 0;
          return Promise.resolve(size >= 4 * MiB ? size : notYet(`${size} bytes in ${partial()}`));
        },
        "bob's download of the 64 MiB file is under way",
        30_000,
        20,
      );
      const stopped = await movies!.process.stop();
      expect(stopped.code, show(stopped)).toBe(0);
      expect(stopped.stderr).toMatch(/SIGINT: stopped the catalog server for 'movies'/);

      const result = await download.exited;
      expect(result.timedOut, show(result)).toBe(false);
      expect(failed(result).code).toBe("TRANSFER_CANCELLED");
      expect(failed(result).message).toContain(`kept in ${partial()}: run the same command again to resume`);
      expect(existsSync(target()), "nothing unverified under the final name").toBe(false);
      const kept = statSync(partial()).size;
      expect(kept).toBeGreaterThanOrEqual(seen);
      expect(kept).toBeLessThan(LARGE);
    });

    it("while nobody serves it, bob's contents of the imported catalog says it is not online (exit 1)", async () => {
      const r = await bob.json("catalog", "contents", "movies");
      const error = failed(r);
      expect(
        error.message,
        `${error.code}: a catalog whose server is stopped should be reported as not online`,
      ).toMatch(/not online/);
    });

    it("after serve again, the same download resumes from the partial (offset > 0) and ends SHA-256 verified", async () => {
      movies = await alice.serve("movies");
      await until(
        async () => ((await bobListing("movies")) ? true : notYet("no listing yet")),
        "alice's catalog answers again",
        30_000,
        200,
      );
      const resumeFrom = statSync(partial()).size;
      const reply = succeeded<DownloadReply>(await bob.json("catalog", "download", "movies", largeHash, target()));
      expect(reply).toMatchObject({
        file: target(),
        offset: resumeFrom,
        bytes: LARGE - resumeFrom,
        total: LARGE,
        verified: "sha256",
      });
      expect(reply.offset).toBeGreaterThan(0);
      expect(await sha256File(target())).toBe(largeHash);
      expect(existsSync(partial())).toBe(false);
    });
  });

  it("a second `catalog serve` of the same catalog replaces the first and says so; the first ends with ORPHANED, and the catalog stays served", async () => {
    const first = movies!;
    movies = await alice.serve("movies");
    expect(movies.process.stderr).toContain(
      `Replaced the catalog server that was serving 'movies' (workload ${first.workloadId})`,
    );
    const ended = await first.process.exited;
    expect(ended.code, show(ended)).toBe(1);
    expect(ended.stderr).toMatch(/error \[ORPHANED\]: .*undeployed.*'movies' is no longer served/);
    await until(
      async () => ((await bobListing("movies")) ? true : notYet("no listing yet")),
      "the replacing server answers",
      30_000,
      200,
    );
  });

  describe("the server's watcher keeps the served catalog true to the folder", () => {
    const entriesAt = (listing: CatalogSummary, path: string) => listing.entries.filter((e) => e.path === path);
    const first = "first version of a file added while served\n";
    const second = "second, longer version: the file was modified while served\n";
    let countBefore = 0;

    it("a file added to the folder (and one in a new subfolder) appears in contents", async () => {
      countBefore = (await bobListing("movies"))!.total_entries;
      writeFileSync(join(media, "added.txt"), first);
      mkdirSync(join(media, "extras"));
      writeFileSync(join(media, "extras", "bonus.txt"), "bonus\n");
      const listing = await until(
        async () => {
          const l = await bobListing("movies");
          const ok =
            l &&
            entriesAt(l, "/added.txt")[0]?.hash === sha256(first) &&
            entriesAt(l, "/extras/bonus.txt")[0]?.hash === sha256("bonus\n");
          return ok ? l : notYet(JSON.stringify(l?.entries.map((e) => e.path)));
        },
        "the added files appear in bob's listing",
        20_000,
        200,
      );
      expect(listing.total_entries).toBe(countBefore + 2);
    });

    it("a modified file gets its new hash: the old hash is gone, no duplicate entry, and it downloads verified", async () => {
      writeFileSync(join(media, "added.txt"), second);
      const listing = await until(
        async () => {
          const l = await bobListing("movies");
          return l && entriesAt(l, "/added.txt")[0]?.hash === sha256(second)
            ? l
            : notYet(JSON.stringify(l && entriesAt(l, "/added.txt")));
        },
        "the modified file has its new hash in bob's listing",
        20_000,
        200,
      );
      expect(entriesAt(listing, "/added.txt")).toEqual([
        expect.objectContaining({ hash: sha256(second), byte_size: Buffer.byteLength(second) }),
      ]);
      expect(listing.entries.filter((e) => e.hash === sha256(first))).toEqual([]);
      expect(listing.total_entries).toBe(countBefore + 2);
      succeeded(await bob.json("catalog", "download", "movies", sha256(second), out("added.txt")));
      expect(await sha256File(out("added.txt"))).toBe(sha256(second));
    });

    it("`catalog describe` by path or by hash, while served: bob's contents shows each description", async () => {
      const byPath = succeeded<{ path: string; hash: string }>(
        await alice.json("catalog", "describe", "movies", "/extras/bonus.txt", "the bonus track"),
      );
      expect(byPath).toMatchObject({ path: "/extras/bonus.txt", hash: sha256("bonus\n") });
      succeeded(await alice.json("catalog", "describe", "movies", largeHash, "a large random file"));
      const refused = failed(await alice.json("catalog", "describe", "movies", "/extras/none.txt", "x"));
      expect(refused).toEqual({
        code: "NOT_FOUND",
        message: "catalog 'movies' lists no file at /extras/none.txt: see natster catalog contents movies",
      });
      const listing = await until(
        async () => {
          const l = await bobListing("movies");
          const described =
            l &&
            entriesAt(l, "/extras/bonus.txt")[0]?.description === "the bonus track" &&
            entriesAt(l, "/large.bin")[0]?.description === "a large random file";
          return described ? l : notYet(JSON.stringify(l?.entries.map((e) => [e.path, e.description])));
        },
        "both descriptions in bob's listing",
        20_000,
        200,
      );
      expect(listing.total_entries).toBe(countBefore + 2);
    });

    it("a removed file disappears from contents", async () => {
      rmSync(join(media, "added.txt"));
      const listing = await until(
        async () => {
          const l = await bobListing("movies");
          return l && entriesAt(l, "/added.txt").length === 0
            ? l
            : notYet(JSON.stringify(l?.entries.map((e) => e.path)));
        },
        "the removed file leaves bob's listing",
        20_000,
        200,
      );
      expect(listing.total_entries).toBe(countBefore + 1);
      expect(listing.entries.filter((e) => e.hash === sha256(second))).toEqual([]);
    });
  });

  it("a 100,000-entry catalog is listed completely by `catalog contents --json`", async () => {
    const served = bigServe!;
    const rescan = await served.process.waitFor(
      "stdout",
      /startup rescan: (\d+) kept, (\d+) updated, (\d+) added, (\d+) removed/,
      90_000,
      "the 100k catalog's startup rescan",
    );
    expect(rescan.slice(1).map(Number), "the startup rescan keeps every entry").toEqual([BIG_ENTRIES, 0, 0, 0]);
    const stamp = served.process.stdout.match(/^(\S+) catalog-server: startup rescan/m)?.[1];
    const readyMs = stamp ? Date.parse(stamp) - served.spawnedAt : NaN;

    const r = await bob.run(["--json", "catalog", "contents", "big"], 120_000);
    const listing = succeeded<CatalogSummary>(r);
    expect(listing.total_entries).toBe(BIG_ENTRIES);
    expect(listing.entries).toHaveLength(BIG_ENTRIES);
    const wrong = listing.entries.filter((e) => big.expected.get(e.path) !== e.hash);
    expect(wrong.slice(0, 5), `${wrong.length} entries with an unexpected path or hash`).toEqual([]);
    expect(new Set(listing.entries.map((e) => e.path)).size).toBe(BIG_ENTRIES);
    console.log(
      `[e2e] 100k catalog: 100k hard links + catalog file generated in ${big.generatedMs} ms; serve → startup rescan done in ${readyMs} ms; ` +
        `\`natster --json catalog contents big\` took ${r.ms} ms wall (CLI start included) for ${BIG_ENTRIES} entries, ${(r.stdout.length / MiB).toFixed(1)} MiB of JSON`,
    );

    const last = `/d${BIG_DIRS - 1}/f${BIG_ENTRIES - 1}.txt`;
    succeeded(await bob.json("catalog", "download", "big", big.expected.get(last)!, out("last-entry.txt")));
    expect(await sha256File(out("last-entry.txt"))).toBe(big.expected.get(last));
  });

  it("`catalog rm` of a served catalog also stops its server: its serve ends saying so and bob finds it not online", async () => {
    const served = bigServe!;
    const removed = succeeded<{ removed: string; stopped: string[] }>(await alice.json("catalog", "rm", "big"));
    expect(removed.stopped).toEqual([served.workloadId]);
    const ended = await served.process.exited;
    expect(ended.code, show(ended)).toBe(0);
    expect(ended.stderr).toContain("Stopped serving 'big': its catalog was removed (natster catalog rm).");
    expect(ended.stderr).not.toContain("ORPHANED");
    await untilBobFindsOffline("big");
  });

  it("`catalog rm` of a catalog served in the foreground: the server goes offline by itself and its serve ends 0 saying so", async () => {
    const notes = join(root, "alice-notes");
    mkdirSync(notes);
    writeFileSync(join(notes, "note.txt"), "a note\n");
    succeeded(await alice.json("catalog", "new", "notes", "alice's notes", notes));
    succeeded(await alice.json("catalog", "share", "notes", bob.key));
    succeeded(await bob.json("catalog", "import", "notes", alice.key));
    const serve = alice.spawn(["catalog", "serve", "--foreground", "notes"]);
    await serve.waitFor("stderr", /Serving 'notes' in the foreground/, 30_000, "the foreground serve");
    await until(
      async () => ((await bobListing("notes")) ? true : notYet("no listing yet")),
      "bob can list the catalog served in the foreground",
      30_000,
      200,
    );

    const removed = succeeded<{ stopped: string[] }>(await alice.json("catalog", "rm", "notes"));
    expect(removed.stopped, "no Nex workload serves it: the foreground server stops itself").toEqual([]);
    const ended = await serve.exited;
    expect(ended.code, show(ended)).toBe(0);
    expect(ended.stdout).toMatch(/the catalog file of notes was removed from .*: going offline/);
    expect(ended.stdout).toContain("catalog notes offline");
    expect(ended.stderr).toContain("Stopped serving 'notes': its catalog was removed (natster catalog rm).");
    await untilBobFindsOffline("notes");
  });
});
