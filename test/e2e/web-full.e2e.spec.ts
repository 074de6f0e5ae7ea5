/**
 * Full stack, in a browser, the way a person does it (issue 6): the real stack of `natster up`
 * (nats-server, the Nex node with the global service and the hub's catalog server, the web app),
 * the real `bin/natster` in one NATSTER_HOME per person, and Debian Chromium driven through
 * playwright-core. bob logs a browser in with `natster login`, browses the hub, imports and
 * follows alice's catalog live while she stops and restarts serving it, views, downloads and
 * plays files, seeks, downloads a 1 GiB file that the browser streams to disk (verified on disk,
 * the page's memory bounded far below the file), logs out. Screenshots of every screen go to
 * test-results/web/full-*.png.
 *
 * How "range transfers fetch only what is played" is proven (see the seek test): the demo MP4 is
 * 2 MB, and unthrottled Chromium buffers all of it within ~0.3 s of pressing Play, so a seek after
 * that is answered from the media buffer and fetches nothing. The page's link is therefore capped
 * with DevTools network emulation (128 KiB/s, ~1.3× the video's bitrate) until it plays, lifted,
 * and then the seek goes into bytes nobody fetched yet. Three witnesses then agree: the video's
 * new request asks `Range: bytes=S-` with S ≈ 80% of the file; the hub's catalog server logs the
 * range transfer as exactly size − S bytes and the first transfer (from 0) as cancelled before it
 * reached S; and the websocket frames the page received are counted from the seek on.
 *
 * Known race (product bug, reported, not worked around in the page): the global service publishes
 * the live "catalog_shared" notice before the projections behind `my.shares` have the share, and
 * the page reloads `my.shares` and the inbox the moment the notice arrives; `applyShares`
 * (web/src/state/library.ts) rebuilds the list from that stale reply and drops the new share, so it
 * is in neither the Inbox nor "Shared with me". alice therefore shares before bob logs in here.
 */
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { E2eUser, sha256File, show, startStack, succeeded, writeRandomFile, type CliProcess, type E2eStack } from "./support/cli-e2e.ts";
import { stopWebFull, whenBadge } from "./support/web-full-steps.ts";
import {
  CatalogServerLog,
  launchChromium,
  MEDIA_PROBE,
  MEDIA_STATE,
  MediaRequests,
  PageMemory,
  START_SEEK_TO_80,
  AWAIT_SEEK,
  Throttle,
  visible,
  WireBytes,
  type MediaState,
  type SeekResult,
} from "./support/web-browser.ts";

const SHOTS = join(process.cwd(), "test-results", "web");
const FILMS = "films";
const BOB_CATALOG = "bobfiles";
const MOVIE = "natster-demo.mp4";
/** Larger than a page should ever hold: the browser must stream it to disk. */
const BIG = "big.bin";
const BIG_BYTES = 1024 * 2 ** 20;
/** The page's memory while it downloads BIG: far below the file, whatever the speed. */
const [JS_HEAP_BOUND, ARRAY_BUFFERS_BOUND] = [64 * 2 ** 20, 256 * 2 ** 20];
/** Generous bounds; a catalog server's goodbye must show well before the 90 s online window expires it. */
// How long the page may take to show a state: a wait, not a verdict (the times are printed as figures).
const [SEEK_WAIT_MS, OFFLINE_WAIT_MS, ONLINE_WAIT_MS] = [60_000, 60_000, 60_000];
/** Until the video plays: ~1.3× the demo's bitrate (2 MB / 20 s), so Chromium cannot prebuffer it all. */
const SLOW_LINK_BYTES_PER_SECOND = 128 * 1024;

type LoginReply = { code: string; valid_minutes: number; url: string; expires_in_seconds: number };
type Serving = { process: CliProcess; workload: string; workloadId: string };

describe("web app, full stack: a person's path in Chromium against `natster up`", () => {
  let root: string;
  let stack: E2eStack | undefined;
  let bob: E2eUser;
  let alice: E2eUser;
  let films: Serving | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let webUrl: string;
  let loginUrl: string;
  let serverLog: CatalogServerLog | undefined;
  let bigHash = "";
  const wire = new WireBytes();
  const media = new MediaRequests();
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const measured: Record<string, unknown> = {};

  const hubMedia = (file: string) => join(stack!.stackDir, "hub", "media", file);
  const shoot = (name: string) => page.screenshot({ path: join(SHOTS, `full-${name}.png`), fullPage: true });
  const region = (name: "Shared with me" | "My catalogs" | "Inbox" | "Downloads") => page.getByRole("region", { name });
  const catalogButton = (where: Locator, catalog: string) => where.getByRole("button", { name: new RegExp(`^${catalog}\\b`) });
  /** A shared catalog's row: its button, and beside it its state badge (issue 18). */
  const sharedRow = (catalog: string) => region("Shared with me").getByRole("listitem", { name: catalog });

  /** `natster catalog serve <name>`, until the server's own line (which it follows) says it subscribed. */
  async function serve(user: E2eUser, catalog: string): Promise<Serving> {
    const served = await user.serve(catalog);
    await served.process.waitFor("stdout", new RegExp(`serving catalog ${catalog}; local services`), 30_000, `${user.name}'s catalog server for ${catalog} subscribes`);
    return served;
  }

  /** When a catalog server logged a line (by its own timestamp), waiting a bounded while for the line. */
  async function serverStamp(served: Serving, pattern: RegExp, since: number): Promise<number> {
    const stamp = () => serverLog!.stamp(served.workloadId, pattern, since);
    await expect.poll(stamp, { timeout: 10_000, interval: 50, message: `${served.workload} logs ${pattern}` }).toBeTypeOf("number");
    return stamp()!;
  }

  beforeAll(async () => {
    const setupStarted = Date.now();
    const phase = (what: string) => console.log(`[web-full] setup: ${what} after ${Date.now() - setupStarted} ms`);
    mkdirSync(SHOTS, { recursive: true });
    root = mkdtempSync(join(tmpdir(), "natster-e2e-web-full-"));
    const bobMedia = join(root, "bob-media");
    const aliceMedia = join(root, "alice-media");
    mkdirSync(bobMedia);
    mkdirSync(aliceMedia);
    writeFileSync(join(bobMedia, "notes.txt"), "bob's notes\n");
    writeFileSync(join(aliceMedia, "trailer.txt"), "alice's trailer, in words\n");
    bigHash = writeRandomFile(join(aliceMedia, BIG), BIG_BYTES);

    // The stack and the browser start together: both take a while on a small machine. Both are
    // recorded before anything can throw, so afterAll stops whichever did start.
    const [started, browser] = await Promise.allSettled([startStack(join(root, "stack-home")), launchChromium(join(root, "chromium-profile"))]);
    if (browser.status === "fulfilled") context = browser.value;
    if (started.status === "rejected") throw started.reason;
    if (browser.status === "rejected") throw browser.reason;
    stack = started.value;
    const chromium = browser.value;
    phase("`natster up` and Chromium");
    webUrl = stack.info.web_url ?? "";
    expect(webUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    bob = new E2eUser("bob", join(root, "bob"), stack);
    alice = new E2eUser("alice", join(root, "alice"), stack);
    const [bobInit, aliceInit] = await Promise.all([bob.json("init", "--name", "bob"), alice.json("init", "--name", "alice")]);
    bob.key = succeeded<{ account: string }>(bobInit).account;
    alice.key = succeeded<{ account: string }>(aliceInit).account;
    phase("`natster init` (bob, alice)");
    // bob serves a catalog of his own: the page's Inbox (and its Import button) go through it.
    const [bobNew, aliceNew] = await Promise.all([
      bob.json("catalog", "new", BOB_CATALOG, "bob's notes", bobMedia),
      alice.json("catalog", "new", FILMS, "alice's films", aliceMedia),
      (async () => {
        const accounts = [join(started.value.stackDir, "creds", "hub.creds"), ...[alice, bob].map((u) => join(u.home, "default.creds"))];
        serverLog = await CatalogServerLog.follow(started.value.info.nats_url, accounts);
      })(),
    ]);
    succeeded(bobNew);
    succeeded(aliceNew);
    phase("`natster catalog new` (bob, alice)");
    // bob gave alice his account key; she shares before he opens the browser. (Shared while the
    // page is open, the share can vanish from the page: see "Known race" at the top of this file.)
    const [shared] = await Promise.all([alice.json("catalog", "share", FILMS, bob.key), serve(bob, BOB_CATALOG)]); // serves stop in afterAll
    succeeded(shared);
    phase("`natster catalog share` (alice) and `natster catalog serve` (bob)");

    page = await chromium.newPage();
    wire.attach(page);
    media.attach(page);
    page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
    page.on("pageerror", (e) => pageErrors.push(e.message));
  }, 240_000);

  afterAll(async () => {
    if (consoleErrors.length > 0) console.log(`[web-full] console errors in the page:\n  ${consoleErrors.join("\n  ")}`);
    if (Object.keys(measured).length > 0) console.log(`[web-full] measured: ${JSON.stringify(measured)}`);
    await stopWebFull({ root, stack, context, serverLog });
  }, 120_000);

  // A failed step leaves a picture of the page and what its sidebar said, for the report.
  afterEach(async ({ task }) => {
    if (task.result?.state !== "fail" || !page || page.isClosed()) return;
    const name = task.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 40).toLowerCase();
    await page.screenshot({ path: join(SHOTS, `full-failed-${name}.png`), fullPage: true }).catch(() => undefined);
    const sidebar = await page.getByRole("complementary", { name: "Catalogs" }).innerText({ timeout: 2000 }).catch(() => "(no sidebar)");
    console.log(`[web-full] failed in "${task.name}"; the sidebar read:\n${sidebar}`);
  });

  it("`natster login --json` prints a one-time URL; opening it logs the browser in and leaves no code or key in the address bar", { timeout: 90_000 }, async () => {
    const login = succeeded<LoginReply>(await bob.json("login"));
    expect(login.url).toMatch(new RegExp(`^${webUrl.replace(/[.:/]/g, "\\$&")}/login/${login.code}#k=[A-Za-z0-9_-]{16,}$`));
    loginUrl = login.url;

    await page.goto(loginUrl);
    const key = await visible(page.getByTestId("account-key"), 30_000);
    expect(await key.textContent()).toBe(bob.key);
    expect(page.url()).toBe(`${webUrl}/`);
    expect(page.url()).not.toContain(login.code);
    expect(page.url()).not.toContain("#");
    expect(await page.evaluate<number>("window.localStorage.length")).toBe(0);
    await visible(region("Shared with me"));
    await visible(region("My catalogs"));
    await visible(region("Inbox"));
    await shoot("01-logged-in");
  });

  it("the shared catalogs are listed: hub (shared with every account) online, bob's own served catalog, alice's share pending in the Inbox", async () => {
    const hub = await visible(sharedRow("hub"));
    await whenBadge(hub, "online", 20_000);
    await whenBadge(await visible(catalogButton(region("My catalogs"), BOB_CATALOG)), "online", 20_000);
    // Not imported yet (issue 18): listed with its state and its Import button, counted in the Inbox.
    const pending = await visible(region("Shared with me").getByRole("listitem", { name: FILMS }));
    await visible(pending.getByText("not imported", { exact: true }));
    await visible(pending.getByRole("button", { name: `Import ${FILMS}` }));
    await visible(region("Inbox").getByText(/waits for you to import/));
  });

  it(
    "alice serves her catalog: it turns online in bob's Inbox, he imports it with the Import button, and it goes offline and online live as she stops and restarts serving",
    { timeout: 150_000 },
    async () => {
      await page.evaluate("window.__noReload = 'still the same document'");
      const pending = await visible(region("Shared with me").getByRole("listitem", { name: FILMS }));

      films = await serve(alice, FILMS);
      await visible(pending.getByText("not imported", { exact: true }));
      await shoot("02-inbox-pending");

      await pending.getByRole("button", { name: `Import ${FILMS}` }).click();
      await visible(page.getByText(`${FILMS} is now in your library`), 30_000);
      const imported = await visible(sharedRow(FILMS), 30_000);
      await whenBadge(imported, "online", ONLINE_WAIT_MS);
      await visible(region("Inbox").getByText("No pending shares."));
      await shoot("03-imported-online");

      // Ctrl-C on `natster catalog serve`: the Nex node stops the workload, which says goodbye.
      const sigintAt = Date.now();
      const offlineAt = whenBadge(imported, "offline", OFFLINE_WAIT_MS);
      offlineAt.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
      const stopped = await films.process.stop();
      expect(stopped.code, show(stopped)).toBe(0);
      measured.offline_after_sigint_ms = (await offlineAt) - sigintAt;
      // The server logs "SIGINT: going offline" just before it publishes its goodbye.
      const goodbyeAt = await serverStamp(films, /: SIGINT: going offline$/, sigintAt);
      measured.offline_after_server_sigint_ms = (await offlineAt) - goodbyeAt;
      await visible(page.getByText(`${FILMS} has gone offline`));
      await shoot("04-offline");

      // Serving again: watched from before the spawn, so the flip is timed, not found done.
      const spawnedAt = Date.now();
      const onlineAt = whenBadge(imported, "online", 60_000 + ONLINE_WAIT_MS);
      onlineAt.catch(() => undefined);
      films = await serve(alice, FILMS);
      // ... and "serving catalog" right after its first heartbeat.
      const serverUpAt = await serverStamp(films, new RegExp(`serving catalog ${FILMS}; local services`), spawnedAt);
      measured.online_after_serve_ms = (await onlineAt) - spawnedAt;
      measured.online_after_server_up_ms = (await onlineAt) - serverUpAt;
      await visible(page.getByText(`${FILMS} has come online`).last());
      await shoot("05-online-again");

      expect(await page.evaluate<string | undefined>("window.__noReload")).toBe("still the same document");
      console.log(
        `[web-full] ${FILMS} offline in the page ${String(measured.offline_after_sigint_ms)} ms after Ctrl-C (${String(measured.offline_after_server_sigint_ms)} ms after its server got SIGINT); ` +
          `online ${String(measured.online_after_server_up_ms)} ms after its server's first heartbeat (${String(measured.online_after_serve_ms)} ms after \`catalog serve\` was started)`,
      );
    },
  );

  it("in hub: welcome.txt shows its text, natster.png shows as an image, and a download is SHA-256 verified and saved byte for byte", { timeout: 90_000 }, async () => {
    await catalogButton(region("Shared with me"), "hub").click();
    const files = await visible(page.getByRole("list", { name: "Files" }), 30_000);

    await files.getByRole("button", { name: "View welcome.txt" }).click();
    const textView = await visible(page.getByRole("dialog", { name: "hub | welcome.txt" }));
    await expect.poll(() => textView.textContent(), { timeout: 20_000 }).toContain("Welcome to Natster");
    await shoot("06-view-text");
    await page.getByRole("button", { name: "Close viewer" }).click();

    await files.getByRole("button", { name: "View natster.png" }).click();
    const imageView = await visible(page.getByRole("dialog", { name: "hub | natster.png" }));
    const image = await visible(imageView.getByRole("img", { name: "natster.png" }));
    type Img = { complete: boolean; naturalWidth: number; naturalHeight: number };
    const decoded = () => image.evaluate((img: Img) => (img.complete ? { width: img.naturalWidth, height: img.naturalHeight } : { width: 0, height: 0 }));
    await expect.poll(async () => (await decoded()).width, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await decoded()).toEqual({ width: 640, height: 360 });
    await shoot("07-view-image");
    await page.getByRole("button", { name: "Close viewer" }).click();

    const saved = page.waitForEvent("download", { timeout: 30_000 });
    await files.getByRole("listitem", { name: "natster.png" }).getByRole("button", { name: "Download natster.png" }).click();
    const row = await visible(region("Downloads").getByRole("listitem", { name: "natster.png" }));
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain("SHA-256 verified");
    const download = await saved;
    expect(download.suggestedFilename()).toBe("natster.png");
    const file = join(root, "natster.png");
    await download.saveAs(file);
    expect(await sha256File(file)).toBe(await sha256File(hubMedia("natster.png")));
    await shoot("08-download-verified");
  });

  it(
    `plays ${MOVIE}, seeks to 80% and plays again, fetching only the bytes from the seek point on`,
    { timeout: 90_000 },
    async () => {
      const size = statSync(hubMedia(MOVIE)).size;
      const throttle = await Throttle.of(context!, page);
      try {
        await page.evaluate(MEDIA_PROBE);
        await throttle.limit(SLOW_LINK_BYTES_PER_SECOND);
        const playClickedAt = Date.now();
        await page.getByRole("list", { name: "Files" }).getByRole("button", { name: `Play ${MOVIE}` }).click();
        await visible(page.getByRole("dialog", { name: `hub | ${MOVIE}` }));
        await visible(page.locator("video"), 30_000);

        // It plays: `playing` fired and the clock moves.
        const state = () => page.evaluate<MediaState | null>(MEDIA_STATE);
        await expect.poll(async () => (await state())?.events.some((e) => e.type === "playing") ?? false, { timeout: 30_000, interval: 100 }).toBe(true);
        await expect.poll(async () => (await state())?.currentTime ?? 0, { timeout: SEEK_WAIT_MS, interval: 100 }).toBeGreaterThan(0.5);
        const before = (await state())!;
        await expect.poll(async () => (await state())?.currentTime ?? 0, { timeout: 10_000, interval: 100 }).toBeGreaterThan(before.currentTime + 0.2);
        measured.open_to_playing_ms = (before.events.find((e) => e.type === "playing")?.at ?? 0) - playClickedAt;
        await shoot("09-playing");

        const atSeek = (await state())!;
        const bufferedEnd = Math.max(0, ...atSeek.buffered.map(([, end]) => end));
        expect(bufferedEnd, `the seek target must not be buffered yet (buffered ${JSON.stringify(atSeek.buffered)})`).toBeLessThan(0.8 * atSeek.duration);

        // Seek while still throttled (the seek point can't get buffered before the seek), then lift.
        const wireAtSeek = wire.received;
        const seekMark = Date.now();
        await page.evaluate(START_SEEK_TO_80(30_000));
        await throttle.lift();
        const seek = await page.evaluate<SeekResult>(AWAIT_SEEK);
        if (!seek.ok) throw new Error(`the player did not play after the seek: ${seek.reason}`);
        const wireSeekToPlaying = wire.received - wireAtSeek;
        measured.seek_to_play_ms = Math.round(seek.ms);
        await shoot("10-after-seek");

        // What the player asked for after the seek: one open range from about 80% of the file.
        const afterSeek = media.since(seekMark);
        expect(afterSeek.length, JSON.stringify(media.all)).toBeGreaterThanOrEqual(1);
        const rangeStart = afterSeek[0]!.start ?? 0;
        for (const r of afterSeek) expect(r.start, `every request after the seek starts near 80% (${JSON.stringify(afterSeek)})`).toBeGreaterThanOrEqual(0.6 * size);
        const beforeSeek = media.since(playClickedAt).filter((r) => r.at < seekMark);
        expect(beforeSeek.map((r) => r.start)).toEqual([0]);

        // What the hub's catalog server sent for this playback, by its own log.
        const movieTransfers = () => serverLog!.since(playClickedAt, `/${MOVIE}`);
        await expect
          .poll(() => movieTransfers().some((t) => t.outcome === "complete") && movieTransfers().some((t) => t.outcome !== "complete"), { timeout: 20_000, interval: 100 })
          .toBe(true);
        const transfers = movieTransfers();
        const fromZero = transfers.filter((t) => t.outcome !== "complete");
        const ranged = transfers.filter((t) => t.outcome === "complete");
        expect(transfers.every((t) => t.requester === bob.key), JSON.stringify(transfers)).toBe(true);
        expect(fromZero.length, JSON.stringify(transfers)).toBe(1);
        expect(ranged.length, JSON.stringify(transfers)).toBe(1);
        expect(ranged[0]!.bytes, "the range transfer sent exactly the bytes from the seek point to the end").toBe(size - rangeStart);
        expect(fromZero[0]!.bytes, "the transfer from 0 was cancelled before it reached the seek point").toBeLessThan(rangeStart);
        const wireAfterSeek = wire.received - wireAtSeek;

        Object.assign(measured, {
          file_bytes: size,
          range_start: rangeStart,
          bytes_sent_from_zero: fromZero[0]!.bytes,
          bytes_sent_after_seek_range: ranged[0]!.bytes,
          never_fetched_bytes: size - fromZero[0]!.bytes - ranged[0]!.bytes,
          ws_bytes_seek_to_playing: wireSeekToPlaying,
          ws_bytes_since_seek: wireAfterSeek,
        });
        writeFileSync(
          join(SHOTS, "seek-to-play.json"),
          JSON.stringify(
            {
              key: "web.seek_to_play_ms",
              seek_to_play_ms: measured.seek_to_play_ms,
              measured_at: new Date().toISOString(),
              movie: { path: `hub:/${MOVIE}`, bytes: size, duration_s: seek.duration, codec: "H.264+AAC, faststart" },
              position: { target_s: seek.target, current_time_s: seek.currentTime },
              method:
                "Headless Debian Chromium (playwright-core) logged in with `natster login`; Play in the web app (service worker -> v2 range transfers). " +
                `Until the video plays, DevTools network emulation caps the page at ${SLOW_LINK_BYTES_PER_SECOND} B/s so the 80% point is not buffered yet; ` +
                "the cap is lifted, then in the page t0 = performance.now(); video.currentTime = 0.8 * duration; the value is the ms until the first `playing` event with currentTime >= 0.8 * duration.",
              bytes: {
                range_request: `bytes=${rangeStart}-`,
                sent_by_server_from_zero_before_cancel: fromZero[0]!.bytes,
                sent_by_server_for_range: ranged[0]!.bytes,
                never_fetched: size - fromZero[0]!.bytes - ranged[0]!.bytes,
                websocket_received_seek_to_playing: wireSeekToPlaying,
                websocket_received_since_seek: wireAfterSeek,
              },
              open_to_playing_ms_throttled: measured.open_to_playing_ms,
            },
            null,
            2,
          ) + "\n",
        );
        console.log(
          `[web-full] seek to play ${String(measured.seek_to_play_ms)} ms; Range bytes=${rangeStart}- of ${size}; server sent ${fromZero[0]!.bytes} B from 0 (cancelled) + ${ranged[0]!.bytes} B for the range; ` +
            `websocket ${wireSeekToPlaying} B seek->playing, ${wireAfterSeek} B since the seek`,
        );
        expect(fromZero[0]!.bytes + ranged[0]!.bytes, "this playback fetched less than the whole file").toBeLessThan(size);
      } finally {
        await throttle.lift().catch(() => undefined);
        await throttle.detach();
      }
      await page.getByRole("button", { name: "Close viewer" }).click();
    },
  );

  it(`downloads ${BIG} (1 GiB) from alice's catalog straight to disk: the saved file is SHA-256 verified and the page's memory stays flat`, { timeout: 600_000 }, async () => {
    await catalogButton(region("Shared with me"), FILMS).click();
    const files = await visible(page.getByRole("list", { name: "Files" }), 30_000);
    const memory = await PageMemory.sample(context!, page);
    try {
      const saved = page.waitForEvent("download", { timeout: 60_000 });
      await files.getByRole("listitem", { name: BIG }).getByRole("button", { name: `Download ${BIG}` }).click();
      const download = await saved;
      expect(download.suggestedFilename()).toBe(BIG);
      // Chromium completes the download only after the page released the last, withheld chunk: after the SHA-256 matched.
      const path = await download.path();
      expect(await download.failure()).toBeNull();
      const row = await visible(region("Downloads").getByRole("listitem", { name: BIG }));
      await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain("SHA-256 verified");
      expect(statSync(path).size).toBe(BIG_BYTES);
      expect(await sha256File(path)).toBe(bigHash);
      await download.delete();
    } finally {
      await memory.stop();
    }
    measured.big_download_js_heap_growth_mib = memory.growth.js / 2 ** 20;
    measured.big_download_array_buffers_growth_mib = memory.growth.buffers / 2 ** 20;
    expect(memory.growth.js, "the page's JS heap grew with the file").toBeLessThan(JS_HEAP_BOUND);
    expect(memory.growth.buffers, "the page held the file's bytes").toBeLessThan(ARRAY_BUFFERS_BOUND);
    await shoot("11-big-download-verified");
  });

  it("Log out revokes the login: a copy of the session taken before is thrown out and cannot log in again", { timeout: 90_000 }, async () => {
    // The attacker's copy: the page's sessionStorage, replayed in another tab before the logout.
    const stolen = await page.evaluate<string | null>("window.sessionStorage.getItem('natster.session')");
    // What the page keeps: its account, its browser user's creds (a JWT and that user's seed) and the websocket URL.
    expect(JSON.parse(stolen ?? "null")).toMatchObject({ account: expect.stringMatching(/^A[A-Z2-7]{55}$/) as string, creds: expect.stringContaining("BEGIN NATS USER JWT") as string });
    const copy = await context!.newPage();
    await copy.goto(webUrl);
    await copy.evaluate(`window.sessionStorage.setItem("natster.session", ${JSON.stringify(stolen)})`);
    await copy.reload();
    await visible(copy.getByTestId("account-key"), 30_000);
    await visible(copy.getByRole("region", { name: "Shared with me" }));

    await page.getByRole("button", { name: /log ?out/i }).click();
    await visible(page.getByRole("heading", { name: "You are not logged in" }), 30_000);
    await visible(page.getByRole("status").getByText("You are logged out"));
    // The server closed the copy's open connection; reloading it tries the same creds again.
    await visible(copy.getByRole("heading", { name: "You are not logged in" }), 30_000);
    await copy.evaluate(`window.sessionStorage.setItem("natster.session", ${JSON.stringify(stolen)})`);
    await copy.reload();
    await visible(copy.getByRole("heading", { name: "You are not logged in" }), 30_000);
    expect(await copy.getByTestId("account-key").count()).toBe(0);
    await copy.close();
    expect(await page.evaluate<number>("window.sessionStorage.length")).toBe(0);
    expect(await page.getByTestId("account-key").count()).toBe(0);
    await shoot("11-logged-out");

    await page.goto(loginUrl);
    const alert = await visible(page.getByRole("alert"), 30_000);
    expect(await alert.textContent()).toContain("already used or has expired");
    expect(page.url()).not.toContain("#");
    expect(await page.getByTestId("account-key").count()).toBe(0);
    await shoot("12-old-link-refused");
    expect(pageErrors, "uncaught errors in the page").toEqual([]);
  });
});
