import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Download, Locator, Page } from "playwright-core";
import { expect } from "vitest";
import { E2eUser, startStack, succeeded, writeRandomFile, type CliProcess, type E2eStack } from "./cli-e2e.ts";
import { CatalogServerLog, launchChromium, MediaRequests, visible, WireBytes } from "./web-browser.ts";
import { stopWebFull } from "./web-full-steps.ts";

export const SHOTS = join(process.cwd(), "test-results", "web");
export const FILMS = "films";
export const BOB_CATALOG = "bobfiles";
export const MOVIE = "natster-demo.mp4";
/** Larger than a page should ever hold: the browser must stream it to disk. */
export const BIG = "big.bin";
export const BIG_BYTES = 1024 * 2 ** 20;
/** The page's memory while it downloads BIG: far below the file, whatever the speed. */
export const [JS_HEAP_BOUND, ARRAY_BUFFERS_BOUND] = [64 * 2 ** 20, 256 * 2 ** 20];
/** Generous bounds; a catalog server's goodbye must show well before the 90 s online window expires it. */
// How long the page may take to show a state: a wait, not a verdict (the times are printed as figures).
export const [SEEK_WAIT_MS, OFFLINE_WAIT_MS, ONLINE_WAIT_MS] = [60_000, 60_000, 60_000];
/** Until the video plays: ~1.3× the demo's bitrate (2 MB / 20 s), so Chromium cannot prebuffer it all. */
export const SLOW_LINK_BYTES_PER_SECOND = 128 * 1024;

export type LoginReply = { code: string; valid_minutes: number; url: string; expires_in_seconds: number };
export type Serving = { process: CliProcess; workload: string; workloadId: string };

/**
 * What the full web test shares from step to step: the stack of `natster up`, bob and alice, the
 * Chromium page logged in as bob, and what it measured. Every resource is recorded as soon as it
 * exists, so end() stops whichever did start.
 */
export class WebFullSession {
  root = "";
  stack: E2eStack | undefined;
  bob!: E2eUser;
  alice!: E2eUser;
  films: Serving | undefined;
  context: BrowserContext | undefined;
  page!: Page;
  webUrl = "";
  loginUrl = "";
  serverLog: CatalogServerLog | undefined;
  bigHash = "";
  readonly wire = new WireBytes();
  readonly media = new MediaRequests();
  readonly consoleErrors: string[] = [];
  readonly pageErrors: string[] = [];
  readonly measured: Record<string, unknown> = {};

  readonly hubMedia = (file: string) => join(this.stack!.stackDir, "hub", "media", file);
  readonly shoot = (name: string) => this.page.screenshot({ path: join(SHOTS, `full-${name}.png`), fullPage: true });
  readonly region = (name: "Shared with me" | "My catalogs" | "Inbox" | "Downloads", page = this.page) =>
    page.getByRole("region", { name });
  readonly catalogButton = (where: Locator, catalog: string) =>
    where.getByRole("button", { name: new RegExp(`^${catalog}\\b`) });
  /** A shared catalog's row: its button, and beside it its state badge (issue 18). */
  readonly sharedRow = (catalog: string) => this.region("Shared with me").getByRole("listitem", { name: catalog });

  /**
   * Presses a listed file's Download button and waits (bounded) until its Downloads row says
   * "SHA-256 verified"; returns the row and the browser's download of the file.
   */
  async downloadVerified(
    files: Locator,
    name: string,
    page = this.page,
  ): Promise<{ row: Locator; download: Download }> {
    const saved = page.waitForEvent("download", { timeout: 30_000 });
    await files
      .getByRole("listitem", { name })
      .getByRole("button", { name: `Download ${name}` })
      .click();
    const row = await visible(this.region("Downloads", page).getByRole("listitem", { name }));
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain("SHA-256 verified");
    return { row, download: await saved };
  }

  /** `natster catalog serve <name>`, until the server's own line (which it follows) says it subscribed. */
  async serve(user: E2eUser, catalog: string): Promise<Serving> {
    const served = await user.serve(catalog);
    await served.process.waitFor(
      "stdout",
      new RegExp(`serving catalog ${catalog}; local services`),
      30_000,
      `${user.name}'s catalog server for ${catalog} subscribes`,
    );
    return served;
  }

  /** When a catalog server logged a line (by its own timestamp), waiting a bounded while for the line. */
  async serverStamp(served: Serving, pattern: RegExp, since: number): Promise<number> {
    const stamp = () => this.serverLog!.stamp(served.workloadId, pattern, since);
    await expect
      .poll(stamp, { timeout: 10_000, interval: 50, message: `${served.workload} logs ${pattern}` })
      .toBeTypeOf("number");
    return stamp()!;
  }

  /** Files for alice and bob, `natster up` and Chromium, both users initialized, alice's share, bob serving his catalog, a page. */
  async start(): Promise<void> {
    const setupStarted = Date.now();
    const phase = (what: string) => console.log(`[web-full] setup: ${what} after ${Date.now() - setupStarted} ms`);
    mkdirSync(SHOTS, { recursive: true });
    this.root = mkdtempSync(join(tmpdir(), "natster-e2e-web-full-"));
    const bobMedia = join(this.root, "bob-media");
    const aliceMedia = join(this.root, "alice-media");
    mkdirSync(bobMedia);
    mkdirSync(aliceMedia);
    writeFileSync(join(bobMedia, "notes.txt"), "bob's notes\n");
    writeFileSync(join(aliceMedia, "trailer.txt"), "alice's trailer, in words\n");
    this.bigHash = writeRandomFile(join(aliceMedia, BIG), BIG_BYTES);

    // The stack and the browser start together: both take a while on a small machine. Both are
    // recorded before anything can throw, so afterAll stops whichever did start.
    const [started, browser] = await Promise.allSettled([
      startStack(join(this.root, "stack-home")),
      launchChromium(join(this.root, "chromium-profile")),
    ]);
    if (browser.status === "fulfilled") this.context = browser.value;
    if (started.status === "rejected") throw started.reason;
    if (browser.status === "rejected") throw browser.reason;
    this.stack = started.value;
    const chromium = browser.value;
    phase("`natster up` and Chromium");
    this.webUrl = this.stack.info.web_url ?? "";
    expect(this.webUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    this.bob = new E2eUser("bob", join(this.root, "bob"), this.stack);
    this.alice = new E2eUser("alice", join(this.root, "alice"), this.stack);
    await Promise.all([this.bob.init(), this.alice.init()]);
    phase("`natster init` (bob, alice)");
    // bob serves a catalog of his own: the page's Inbox (and its Import button) go through it.
    const [bobNew, aliceNew] = await Promise.all([
      this.bob.json("catalog", "new", BOB_CATALOG, "bob's notes", bobMedia),
      this.alice.json("catalog", "new", FILMS, "alice's films", aliceMedia),
      (async () => {
        const accounts = [
          join(started.value.stackDir, "creds", "hub.creds"),
          ...[this.alice, this.bob].map((u) => join(u.home, "default.creds")),
        ];
        this.serverLog = await CatalogServerLog.follow(started.value.info.nats_url, accounts);
      })(),
    ]);
    succeeded(bobNew);
    succeeded(aliceNew);
    phase("`natster catalog new` (bob, alice)");
    // bob gave alice his account key; she shares before he opens the browser (see the top of web-full.e2e.spec.ts).
    const [shared] = await Promise.all([
      this.alice.json("catalog", "share", FILMS, this.bob.key),
      this.serve(this.bob, BOB_CATALOG),
    ]); // serves stop in afterAll
    succeeded(shared);
    phase("`natster catalog share` (alice) and `natster catalog serve` (bob)");

    this.page = await chromium.newPage();
    this.wire.attach(this.page);
    this.media.attach(this.page);
    this.page.on("console", (m) => m.type() === "error" && this.consoleErrors.push(m.text()));
    this.page.on("pageerror", (e) => this.pageErrors.push(e.message));
  }

  async end(): Promise<void> {
    if (this.consoleErrors.length > 0)
      console.log(`[web-full] console errors in the page:\n  ${this.consoleErrors.join("\n  ")}`);
    if (Object.keys(this.measured).length > 0) console.log(`[web-full] measured: ${JSON.stringify(this.measured)}`);
    await stopWebFull({ root: this.root, stack: this.stack, context: this.context, serverLog: this.serverLog });
  }

  /** After a failed step: a picture of the page and what its sidebar said, for the report. */
  async reportFailure(taskName: string, failed: boolean): Promise<void> {
    if (!failed || !this.page || this.page.isClosed()) return;
    const name = taskName
      .replace(/[^a-z0-9]+/gi, "-")
      .slice(0, 40)
      .toLowerCase();
    await this.page.screenshot({ path: join(SHOTS, `full-failed-${name}.png`), fullPage: true }).catch(() => undefined);
    const sidebar = await this.page
      .getByRole("complementary", { name: "Catalogs" })
      .innerText({ timeout: 2000 })
      .catch(() => "(no sidebar)");
    console.log(`[web-full] failed in "${taskName}"; the sidebar read:\n${sidebar}`);
  }
}
