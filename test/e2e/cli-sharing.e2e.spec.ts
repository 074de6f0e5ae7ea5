/**
 * End to end, with the real `bin/natster` against the real stack of `natster up`: alice shares a
 * catalog with bob through the Nex node. Every user has their own NATSTER_HOME. Tests run in order
 * and build on each other (one stack per file): init → new → serve → share/inbox/import → contents →
 * downloads → errors → unshare. Attacks on the share: cli-sharing-attacks.e2e.spec.ts.
 */
import type { CatalogSummary } from "@natster/catalog";
import { openTransfer } from "@natster/transfer";
import { connectWithCreds } from "@natster/node-kit";
import type { CatalogShareSummary } from "@natster/protocol";
import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notYet, until } from "@natster/test-kit";
import type { E2eUser } from "./support/cli-e2e.ts";
import {
  failed,
  sha256File,
  show,
  SETUP_TIMEOUT_MS,
  TEARDOWN_TIMEOUT_MS,
  succeeded,
  tearDownStack,
  type E2eStack,
  type ServedCatalog,
} from "./support/cli-e2e.ts";
import {
  byPath,
  listingOf,
  startSharingWorld,
  type DownloadReply,
  type InitReply,
  type Sources,
} from "./support/sharing-fixture.ts";

describe("natster CLI e2e: share, import and download (alice, bob, mallory on one real stack)", () => {
  let root: string;
  let stack: E2eStack | undefined;
  let alice: E2eUser;
  let bob: E2eUser;
  let mallory: E2eUser;
  let media: string;
  let downloads: string;
  let served: ServedCatalog | undefined;
  let src: Sources;

  const expectedListing = () => listingOf(src);
  const out = (name: string) => join(downloads, name);

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "natster-e2e-sharing-"));
    ({ media, downloads, src, stack, alice, bob, mallory } = await startSharingWorld(root));
  }, SETUP_TIMEOUT_MS);

  afterAll(() => tearDownStack(root), TEARDOWN_TIMEOUT_MS);

  it("init creates one account per home, and a second init says it was already initialized", async () => {
    const users = [alice, bob, mallory];
    const inits = await Promise.all(users.map((u) => u.init<InitReply>()));
    users.forEach((u, i) => {
      expect(inits[i]!.initialized_before).toBe(false);
      expect(u.key).toMatch(/^A[A-Z2-7]{55}$/);
      expect(existsSync(join(u.home, "keys", "default", "account.nk"))).toBe(true);
    });
    expect(new Set(users.map((u) => u.key)).size).toBe(3);

    const again = await alice.run(["init", "--name", "alice"]);
    expect(again.code, show(again)).toBe(0);
    expect(again.stdout).toMatch(/already initialized/);
    expect(again.stdout).toContain(alice.key);
  });

  it("catalog new indexes every file of the folder, subfolders and empty files included", async () => {
    const created = succeeded<{ name: string; files: number; bytes: number; file: string }>(
      await alice.json("catalog", "new", "movies", "my movies", media),
    );
    expect(created).toMatchObject({ name: "movies", files: 5, file: join(alice.home, "movies.json") });
    expect(created.bytes).toBe(Object.values(src).reduce((n, s) => n + s.size, 0));
    const ls = await alice.run(["catalog", "ls"]);
    expect(ls.code, show(ls)).toBe(0);
    expect(ls.stdout, "a catalog shared with nobody is still listed for its owner").toContain(
      "Yours, shared with nobody yet: movies (5 files,",
    );
  });

  it("catalog serve deploys the catalog server on the Nex node, and the catalog answers", async () => {
    served = await alice.serve("movies");
    expect(served.workload).toBe(`catalog-movies-${alice.key.slice(0, 8).toLowerCase()}`);
    const listing = await until(
      async () => {
        const r = await alice.json("catalog", "contents", "movies");
        return r.code === 0 ? succeeded<CatalogSummary>(r) : notYet(show(r));
      },
      "alice's catalog answers through the Nex workload",
      30_000,
      200,
    );
    expect(listing).toMatchObject({ name: "movies", description: "my movies", total_entries: 5 });
    expect(byPath(listing)).toEqual(expectedListing());
    // The answer came from the workload: serve follows its logs through the Nex node.
    await served.process.waitFor(
      "stdout",
      /catalog-server: get from local -> 200 page 1\/1/,
      10_000,
      "the workload logs alice's listing",
    );
  });

  it("share returns once bob's inbox has the catalog as pending (read-your-writes), and bob imports it", async () => {
    const shared = succeeded<{ catalog: string; target: string; shared: boolean }>(
      await alice.json("catalog", "share", "movies", bob.key),
    );
    expect(shared).toMatchObject({
      catalog: "movies",
      target: bob.key,
      shared: true,
      applied: true,
      server: "reloaded",
    });

    // No waiting: when share has returned, the projection behind my.shares has it.
    const inbox = succeeded<{ pending: CatalogShareSummary[] }>(await bob.json("catalog", "inbox"));
    const pending = inbox.pending.find((p) => p.catalog === "movies" && p.from_account === alice.key);
    if (!pending)
      throw new Error(`alice's share is not in bob's inbox right after share returned: ${JSON.stringify(inbox)}`);
    expect(pending.to_account).toBe(bob.key);

    const imported = succeeded<{ imported: unknown; imports: unknown[]; shared: boolean }>(
      await bob.json("catalog", "import", "movies", alice.key),
    );
    expect(imported.imported).toEqual({ catalog: "movies", from: alice.key });
    expect(imported.shared).toBe(true);
    expect(imported.imports).toContainEqual({ catalog: "movies", from: alice.key });
  });

  it("bob lists alice's catalog: the same entries, paths and hashes", async () => {
    const listing = succeeded<CatalogSummary>(await bob.json("catalog", "contents", "movies"));
    expect(listing).toMatchObject({ name: "movies", total_entries: 5 });
    expect(byPath(listing)).toEqual(expectedListing());
  });

  it("bob downloads a text, a binary, an empty and a subfolder file; each output has the source's SHA-256", async () => {
    const jsonRuns = (["notes", "clip", "empty"] as const).map((k) =>
      bob.json("catalog", "download", "movies", src[k].hash, out(`${k}.out`)),
    );
    // One in human form, the way a person reads it.
    const human = bob.run(["catalog", "download", "movies", src.episode.hash, out("episode.out")]);
    const [notes, clip, empty] = await Promise.all(jsonRuns);
    for (const [key, run] of [
      ["notes", notes],
      ["clip", clip],
      ["empty", empty],
    ] as const) {
      const reply = succeeded<DownloadReply>(run!);
      expect(reply, key).toMatchObject({
        file: out(`${key}.out`),
        offset: 0,
        bytes: src[key].size,
        total: src[key].size,
        verified: "sha256",
      });
    }
    const episode = await human;
    expect(episode.code, show(episode)).toBe(0);
    expect(episode.stdout).toMatch(/Downloaded .* to .*episode\.out \(SHA-256 verified/);
    for (const key of ["notes", "clip", "empty", "episode"] as const) {
      expect(await sha256File(out(`${key}.out`)), `${key}: output hash`).toBe(src[key].hash);
      expect(statSync(out(`${key}.out`)).size).toBe(src[key].size);
      expect(existsSync(`${out(`${key}.out`)}.partial`), `${key}: no partial left`).toBe(false);
    }
  });

  it("bob downloads by the file's path in the catalog, into a folder: the file keeps its catalog name; once there, it is not overwritten", async () => {
    const folder = out("by-path");
    mkdirSync(folder);
    const byPath = succeeded<DownloadReply>(await bob.json("catalog", "download", "movies", src.episode.path, folder));
    const byHash = succeeded<DownloadReply>(
      await bob.json("catalog", "download", "movies", src.clip.hash, `${folder}/`),
    );
    const episode = join(folder, basename(src.episode.path));
    const clip = join(folder, basename(src.clip.path));
    expect(byPath).toMatchObject({ file: episode, bytes: src.episode.size, verified: "sha256" });
    expect(byHash).toMatchObject({ file: clip, bytes: src.clip.size, verified: "sha256" });
    expect(await sha256File(episode)).toBe(src.episode.hash);
    expect(await sha256File(clip)).toBe(src.clip.hash);

    const again = failed(await bob.json("catalog", "download", "movies", src.episode.path, folder));
    expect(again).toEqual({ code: "OUTPUT_EXISTS", message: `${episode} exists; pass --force to overwrite it` });
    const unknown = failed(await bob.json("catalog", "download", "movies", "/no/such.file", folder));
    expect(unknown).toEqual({
      code: "NOT_FOUND",
      message: "catalog 'movies' lists no file at /no/such.file: see natster catalog contents movies",
    });
    const nowhere = failed(await bob.json("catalog", "download", "movies", src.clip.path, join(folder, "missing/")));
    expect(nowhere).toEqual({
      code: "NOT_FOUND",
      message: `there is no folder ${join(folder, "missing")} to download into`,
    });
  });

  it("two receivers of one account download the same file at the same time, into different outputs, both verified", async () => {
    // The overlap is made certain by flow control, not by timing: the first receiver (bob's own
    // creds, through the transfer library) takes one chunk, then withholds credit, so its transfer
    // stays open on alice's server until the test reads on. The second receiver, the CLI, runs from
    // start to end meanwhile.
    const sentLines = () => {
      const pattern = new RegExp(
        `^\\S+ catalog-server: download from ${bob.key} -> 200 sent /shared\\.bin: \\d+ chunks, ${src.shared.size} bytes`,
        "gm",
      );
      return [...served!.process.stdout.matchAll(pattern)].length;
    };
    const before = sentLines();
    const nc = await connectWithCreds(
      stack!.info.nats_url,
      readFileSync(join(bob.home, "default.creds")),
      "e2e-bob-held-receiver",
    );
    try {
      const held = await openTransfer({ nc, catalog: "movies", hash: src.shared.hash, window: 2 });
      const hasher = createHash("sha256");
      const firstChunk = await held.next();
      if (firstChunk.done) throw new Error("the held transfer ended before its first chunk");
      hasher.update(firstChunk.value);

      const second = await bob.json("catalog", "download", "movies", src.shared.hash, out("shared-2.bin"));
      expect(succeeded<DownloadReply>(second)).toMatchObject({ offset: 0, total: src.shared.size, verified: "sha256" });
      expect(await sha256File(out("shared-2.bin"))).toBe(src.shared.hash);
      // The CLI's transfer is logged as complete while the held one is, by construction, still open.
      await until(
        () => Promise.resolve(sentLines() > before ? true : notYet("not yet")),
        "the workload logs the CLI's transfer",
        10_000,
        200,
      );
      expect(sentLines(), "only the CLI's transfer has completed").toBe(before + 1);
      expect(held.reply.transfer_id, "the held transfer has its own transfer subject").toMatch(/^[0-9a-f]{32}$/);

      const output = out("shared-1.bin");
      writeFileSync(output, firstChunk.value);
      for await (const chunk of held) {
        hasher.update(chunk);
        appendFileSync(output, chunk);
      }
      expect(held.bytes).toBe(src.shared.size);
      expect(hasher.digest("hex"), "the held receiver's bytes").toBe(src.shared.hash);
      expect(await sha256File(output)).toBe(src.shared.hash);
      await until(
        () => Promise.resolve(sentLines() === before + 2 ? true : notYet(`${sentLines() - before} line(s)`)),
        "the workload logs both transfers",
        10_000,
        200,
      );
    } finally {
      await nc.close();
    }
  });

  it("errors are clear and exit non-zero: unknown hash → NOT_FOUND, malformed hash → BAD_REQUEST, unserved catalog → CATALOG_OFFLINE (not online)", async () => {
    // The unknown hash in human form: `natster: error [CODE]: message` on stderr, exit 1.
    const [unknown, malformed, offline] = await Promise.all([
      bob.run(["catalog", "download", "movies", "0".repeat(64), out("unknown.bin")]),
      bob.json("catalog", "download", "movies", src.clip.hash.toUpperCase(), out("malformed.bin")),
      bob.json("catalog", "contents", "nobodyservesthis"),
    ]);
    expect(unknown.code, show(unknown)).toBe(1);
    expect(unknown.stderr).toMatch(/^natster: error \[NOT_FOUND\]: .*not found.*$/im);
    expect(unknown.stderr).toContain(`serves no file with SHA-256 ${"0".repeat(64)}`);
    expect(failed(malformed)).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/is neither a SHA-256 .* nor a path in the catalog/) as unknown,
    });
    expect(failed(offline)).toMatchObject({
      code: "CATALOG_OFFLINE",
      message: expect.stringMatching(/not online/) as unknown,
    });
    for (const f of ["unknown.bin", "unknown.bin.partial", "malformed.bin"]) expect(existsSync(out(f)), f).toBe(false);
  });

  it("unshare: once it returns, bob's very next contents and download are refused with FORBIDDEN, worded alike: 'catalog 'movies' is not shared with you (any more)'", async () => {
    expect(succeeded(await alice.json("catalog", "unshare", "movies", bob.key))).toMatchObject({
      unshared: true,
      applied: true,
      server: "reloaded",
    });
    const refused = failed(await bob.json("catalog", "contents", "movies"));
    expect(refused.code).toBe("FORBIDDEN");

    const download = failed(await bob.json("catalog", "download", "movies", src.notes.hash, out("after-unshare.txt")));
    expect(download.code).toBe("FORBIDDEN");
    expect(download.message).toBe("catalog 'movies' is not shared with you (any more)");
    expect(existsSync(out("after-unshare.txt"))).toBe(false);
    expect(refused.message, "catalog contents should word it as download does").toBe(
      "catalog 'movies' is not shared with you (any more)",
    );
  });
});
