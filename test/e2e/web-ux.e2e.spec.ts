/**
 * The web app as a person's only window (issue 18), in Debian Chromium against `natster up`:
 * bob serves nothing and runs no node. alice (`init --name alice`) shares and serves `films`.
 * bob logs in: the page names alice, says exactly how to start his node, and tells that `films`
 * is not imported; `natster node up` (the local agent) makes Import work without a reload, from
 * the keyboard; the files are listed; when alice withdraws the share it shows as revoked. Desktop and phone-sized (390×844) screenshots go to
 * test-results/web/ux-*.png, and axe-core finds no serious or critical violation on the four
 * main screens (logged out, the catalog list, a catalog, the player).
 */
import { AxeBuilder } from "@axe-core/playwright";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { E2eUser, show, startStack, succeeded, type CliProcess, type E2eStack } from "./support/cli-e2e.ts";
import { launchChromium, visible } from "./support/web-browser.ts";
import { stopWebFull } from "./support/web-full-steps.ts";

const SHOTS = join(process.cwd(), "test-results", "web");
const FILMS = "films";
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

type LoginReply = { url: string };
type Violation = { id: string; impact?: string | null; help: string; nodes: { target: unknown }[] };

describe("web app as the only window: import from the page, honest states, names, phone layout, accessibility", () => {
  let root: string;
  let stack: E2eStack | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let bob: E2eUser;
  let alice: E2eUser;
  let films: { process: CliProcess } | undefined;
  const pageErrors: string[] = [];

  const shoot = (name: string) => page.screenshot({ path: join(SHOTS, `ux-${name}.png`), fullPage: true });
  const region = (name: string) => page.getByRole("region", { name });
  const filmsRow = () => region("Shared with me").getByRole("listitem", { name: FILMS });

  /** axe-core in the page: no serious or critical violation. */
  async function accessible(screen: string): Promise<void> {
    const result = await new AxeBuilder({ page }).analyze();
    const bad = (result.violations as Violation[]).filter((v) => v.impact === "serious" || v.impact === "critical");
    const report = bad
      .map((v) => `${v.impact} ${v.id}: ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`)
      .join("\n");
    const minor = (result.violations as Violation[]).map((v) => `${v.impact ?? "?"} ${v.id}`).join(", ");
    console.log(
      `[web-ux] axe on ${screen}: ${result.violations.length} violations (${minor || "none"}), ${bad.length} serious or critical; ${result.passes.length} rules pass`,
    );
    expect(bad, `${screen}:\n${report}`).toEqual([]);
  }

  /** Nothing wider than the viewport: no horizontal scrolling. */
  async function noHorizontalScroll(): Promise<void> {
    const widths = await page.evaluate<{ scroll: number; client: number }>(
      "({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })",
    );
    expect(widths.scroll, `scrollWidth ${widths.scroll} > clientWidth ${widths.client}`).toBeLessThanOrEqual(
      widths.client,
    );
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    root = mkdtempSync(join(tmpdir(), "natster-e2e-web-ux-"));
    const aliceMedia = join(root, "alice-media");
    mkdirSync(join(aliceMedia, "shorts"), { recursive: true });
    writeFileSync(join(aliceMedia, "trailer.txt"), "alice's trailer, in words\n");
    writeFileSync(join(aliceMedia, "shorts", "credits.txt"), "the credits\n");

    const [started, browser] = await Promise.allSettled([
      startStack(join(root, "stack-home")),
      launchChromium(join(root, "chromium-profile")),
    ]);
    if (browser.status === "fulfilled") context = browser.value;
    if (started.status === "rejected") throw started.reason;
    if (browser.status === "rejected") throw browser.reason;
    stack = started.value;

    bob = new E2eUser("bob", join(root, "bob"), stack);
    alice = new E2eUser("alice", join(root, "alice"), stack);
    await Promise.all([bob.init(), alice.init()]);
    succeeded(await alice.json("catalog", "new", FILMS, "alice's films", aliceMedia));
    succeeded(await alice.json("catalog", "share", FILMS, bob.key));
    const served = await alice.serve(FILMS);
    await served.process.waitFor(
      "stdout",
      new RegExp(`serving catalog ${FILMS}; local services`),
      30_000,
      `alice's catalog server for ${FILMS} subscribes`,
    );
    films = served;

    page = await browser.value.newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
  }, 300_000);

  afterAll(async () => {
    await stopWebFull({ root, stack, context });
  }, 120_000);

  afterEach(async ({ task }) => {
    if (task.result?.state !== "fail" || !page || page.isClosed()) return;
    await page
      .screenshot({
        path: join(SHOTS, `ux-failed-${task.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 40)}.png`),
        fullPage: true,
      })
      .catch(() => undefined);
  });

  it("the logged-out page passes the accessibility check", { timeout: 60_000 }, async () => {
    await page.goto(stack!.info.web_url ?? "");
    await visible(page.getByRole("heading", { name: "You are not logged in" }), 30_000);
    await accessible("the logged-out page");
  });

  it(
    "with no node of his own, bob sees alice by name, films not imported, and exactly how to start his node",
    { timeout: 90_000 },
    async () => {
      const login = succeeded<LoginReply>(await bob.json("login"));
      await page.goto(login.url);
      await visible(page.getByTestId("account-key"), 30_000);
      await page.evaluate("window.__noReload = 'same document'");

      const hint = await visible(region("Inbox").getByText("natster node up"), 30_000);
      expect(await hint.isVisible()).toBe(true);
      const row = await visible(filmsRow(), 30_000);
      await visible(row.getByText("alice", { exact: true }));
      expect(await row.getByText("alice", { exact: true }).getAttribute("title"), "the key is on hover").toBe(
        alice.key,
      );

      // Without an agent the page cannot know yet; opening films finds nobody answering its subjects
      // for bob, although alice serves it: it is not imported, and the view says so with Import.
      await row.getByRole("button", { name: new RegExp(`^F?${FILMS}`) }).click();
      const view = await visible(page.getByRole("region", { name: "Not imported yet" }), 30_000);
      await visible(view.getByRole("button", { name: /import/i }));
      await visible(page.getByRole("region", { name: `Catalog ${FILMS}` }).getByText("not imported", { exact: true }));
      await visible(row.getByText("not imported", { exact: true }));
      await visible(page.getByRole("button", { name: "Copy alice's account key" }));
      await shoot("01-desktop-not-imported-no-node");
      await accessible("a catalog not imported yet");
      await page.getByRole("button", { name: "Close catalog" }).click();
      await accessible("the catalog list");
    },
  );

  it(
    "`natster node up` starts bob's local agent: with no reload the page lists films with Import, and Import from the keyboard lists its files",
    { timeout: 150_000 },
    async () => {
      const up = await bob.json("node", "up");
      expect(up.code, show(up)).toBe(0);
      expect(succeeded<{ local_agent: { name: string } }>(up).local_agent.name).toMatch(/^local-agent-/);

      await visible(region("Inbox").getByText(/wait for you to import|waits for you to import/), 30_000);
      const importButton = await visible(filmsRow().getByRole("button", { name: /import/i }));
      expect(await importButton.getAttribute("aria-label")).toBe(`Import ${FILMS} from alice`);
      expect(await page.getByRole("button", { name: /import/i }).count(), "one Import button: films'").toBe(1);
      await shoot("02-desktop-import");
      await accessible("the catalog list with a share to import");

      // Keyboard only: Tab until the Import button has focus, then Enter.
      let focused = "";
      for (let i = 0; i < 40 && focused !== `Import ${FILMS} from alice`; i++) {
        await page.keyboard.press("Tab");
        focused = await page.evaluate<string>(
          "document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? ''",
        );
      }
      expect(focused, "Import is reachable with Tab").toBe(`Import ${FILMS} from alice`);
      await page.keyboard.press("Enter");

      await visible(page.getByText(`${FILMS} is now in your library`), 30_000);
      const imported = filmsRow();
      await expect.poll(() => imported.getByText("online", { exact: true }).count(), { timeout: 30_000 }).toBe(1);
      await imported.getByRole("button", { name: new RegExp(`^F?${FILMS}`) }).click();
      const files = await visible(page.getByRole("list", { name: "Files" }), 30_000);
      await visible(files.getByRole("listitem", { name: "trailer.txt" }));
      await visible(files.getByRole("listitem", { name: "shorts folder" }));
      await visible(page.getByRole("region", { name: `Catalog ${FILMS}` }).getByText("alice", { exact: true }));
      expect(await page.evaluate<string | undefined>("window.__noReload")).toBe("same document");
      await shoot("03-desktop-imported");
      await accessible("a catalog");
    },
  );

  it(
    "at 390×844 nothing scrolls sideways: the list, a catalog and the player fit, and the list is one Close away",
    { timeout: 120_000 },
    async () => {
      await page.setViewportSize(PHONE);
      await page.getByRole("button", { name: "Close catalog" }).click();
      await visible(filmsRow());
      await noHorizontalScroll();
      await shoot("04-phone-list");

      await filmsRow()
        .getByRole("button", { name: new RegExp(`^F?${FILMS}`) })
        .click();
      const files = await visible(page.getByRole("list", { name: "Files" }), 30_000);
      await visible(files.getByRole("button", { name: "Download trailer.txt" }));
      await noHorizontalScroll();
      await shoot("05-phone-catalog");

      // The player: the hub's demo video (the hub is shared with every account).
      await page.getByRole("button", { name: "Close catalog" }).click();
      await region("Shared with me")
        .getByRole("listitem", { name: "hub" })
        .getByRole("button", { name: /^H?hub/ })
        .click();
      const hubFiles = await visible(page.getByRole("list", { name: "Files" }), 30_000);
      const play = await visible(hubFiles.getByRole("button", { name: "Play natster-demo.mp4" }));
      const box = await play.boundingBox();
      expect(box && box.width >= 40 && box.height >= 36, `Play is big enough to tap: ${JSON.stringify(box)}`).toBe(
        true,
      );
      await play.click();
      const dialog = await visible(page.getByRole("dialog", { name: "hub | natster-demo.mp4" }));
      const video = await visible(page.locator("video"), 30_000);
      const videoBox = await video.boundingBox();
      expect(
        videoBox && videoBox.x >= 0 && videoBox.x + videoBox.width <= PHONE.width,
        `the player fits: ${JSON.stringify(videoBox)}`,
      ).toBe(true);
      await visible(dialog.getByRole("button", { name: "Download natster-demo.mp4" }));
      await noHorizontalScroll();
      await shoot("06-phone-player");
      await accessible("the player");
      await page.getByRole("button", { name: "Close viewer" }).click();

      await page.setViewportSize(DESKTOP);
      await shoot("07-desktop-hub");
      expect(films).toBeDefined();
    },
  );

  it(
    "alice withdraws the share: films turns revoked in the list and the view, with Hide",
    { timeout: 90_000 },
    async () => {
      succeeded(await alice.json("catalog", "unshare", FILMS, bob.key));
      const row = filmsRow();
      await visible(row.getByText("revoked", { exact: true }), 30_000);
      await row.getByRole("button", { name: new RegExp(`^F?${FILMS}`) }).click();
      const view = await visible(page.getByRole("region", { name: "Revoked" }), 30_000);
      await visible(page.getByRole("region", { name: `Catalog ${FILMS}` }).getByText("revoked", { exact: true }));
      await visible(view.getByText(`natster catalog unimport ${FILMS}`));
      await shoot("08-desktop-revoked");
      await view.getByRole("button", { name: `Hide ${FILMS}` }).click();
      await expect.poll(() => filmsRow().count(), { timeout: 10_000 }).toBe(0);
      expect(pageErrors, "uncaught errors in the page").toEqual([]);
    },
  );
});
