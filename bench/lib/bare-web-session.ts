import { existsSync } from "node:fs";
import { BareChromium, type BarePage } from "./bare-chromium.ts";
import type { BenchContext } from "./types.ts";
import { CHROMIUM, CHROMIUM_ARGS, friendLoginUrl, webApp } from "./web-session.ts";
import type { World } from "./world.ts";

export type BareWebSession = { chromium: BareChromium; page: BarePage; downloadsDir: string; close(): Promise<void> };

/** A page element by its accessible label (aria-label), as a JavaScript expression. */
export const byLabel = (scope: string, selector: string, label: string): string =>
  `[...${scope}.querySelectorAll(${JSON.stringify(selector)})].find((e) => e.getAttribute("aria-label") === ${JSON.stringify(label)})`;

/**
 * The friend logged in to the web app in headless Debian Chromium driven over a bare DevTools pipe
 * (bare-chromium.ts: no framework instrumenting the page), `catalog` open, downloads allowed into
 * `downloadsDir` (saved under their GUID) with progress events.
 */
export async function openBareWebSession(
  ctx: BenchContext,
  world: World,
  catalog: string,
  profile: string,
  extraArgs: readonly string[] = [],
): Promise<BareWebSession> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is not installed: run scripts/setup.sh --test (apt-get install chromium)`);
  const web = await webApp(ctx, world);
  const downloadsDir = ctx.temp.dir(`${profile}-downloads`);
  const chromium = BareChromium.launch({
    executable: CHROMIUM,
    userDataDir: ctx.temp.dir(profile),
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
  try {
    await chromium.send("Browser.setDownloadBehavior", {
      behavior: "allowAndName",
      downloadPath: downloadsDir,
      eventsEnabled: true,
    });
    const page = await chromium.newPage();
    await page.goto(await friendLoginUrl(web.url, world, profile));
    await page.waitFor(`document.querySelector('[data-testid="account-key"]')`, "the logged-in page");
    const shared = byLabel("document", 'ul[aria-label="Catalogs shared with me"] > li', catalog);
    await page.click(`${shared}?.querySelector("button.catalog-button")`, `catalog ${catalog} in "Shared with me"`);
    return { chromium, page, downloadsDir, close: () => chromium.close() };
  } catch (e) {
    await chromium.close();
    throw e;
  }
}
