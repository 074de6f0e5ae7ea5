import { BROWSER_PERMISSIONS, sealLogin } from "@natster/protocol";
import { existsSync } from "node:fs";
import type { BrowserContext, Page } from "playwright-core";
import { mintUserCreds } from "../../cli/src/accounts/user-creds.ts";
import { credsText, readStackCreds } from "@natster/identity";
import { freePort } from "../../infra/stack/ports.ts";
import { onCleanup } from "./cleanup.ts";
import type { BenchContext } from "./types.ts";
import type { World } from "./world.ts";
import { CHROMIUM, CHROMIUM_ARGS } from "@natster/test-kit";

export { CHROMIUM, CHROMIUM_ARGS } from "@natster/test-kit";

export type WebSession = { page: Page; browser: BrowserContext; downloadsDir: string; close(): Promise<void> };

let built: Promise<{ url: string }> | undefined;

/** The web app built by buildWeb() and served by startWebServer(), once per run. */
export function webApp(ctx: BenchContext, world: World): Promise<{ url: string }> {
  built ??= (async () => {
    const { buildWeb } = await import("../../infra/web/build.ts");
    const { startWebServer } = await import("../../infra/web/server.ts");
    const dist = ctx.temp.dir("web-dist");
    await buildWeb(dist);
    const web = await startWebServer({
      port: await freePort(),
      distDir: dist,
      stackJson: { ws_url: world.stack.wsUrl, public_creds: credsText(readStackCreds(world.stack.dir, "public")) },
    });
    onCleanup("web server", () => web.stop());
    return web;
  })();
  return built;
}

/** A one-time login link for the friend, the way `natster login` makes it: browser-only creds sealed behind a real one-time code. */
export async function friendLoginUrl(webUrl: string, world: World, profile: string): Promise<string> {
  const friend = world.friend;
  const { creds } = await mintUserCreds(friend.key, friend.signingKey, `friend-${profile}`, BROWSER_PERMISSIONS, 3600);
  const { sealed, key } = await sealLogin(new TextDecoder().decode(creds));
  const otc = await friend.global.otcGenerate(sealed);
  return `${webUrl}/login/${otc.code}#k=${key}`;
}

/**
 * Headless Debian Chromium (a test dependency: scripts/setup.sh --test installs it, and a run
 * fails without it), logged in as the friend the way `natster login` does it (browser-only creds
 * sealed behind a real one-time code), with `catalog` open in "Shared with me".
 */
export async function openWebSession(
  ctx: BenchContext,
  world: World,
  catalog: string,
  profile: string,
  beforeLogin?: (page: Page) => void,
): Promise<WebSession> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is not installed: run scripts/setup.sh --test (apt-get install chromium)`);
  const web = await webApp(ctx, world);
  // Loaded here: Playwright takes a while to import, and only the browser benchmarks need it.
  const { chromium } = await import("playwright-core");
  const downloadsDir = ctx.temp.dir(`${profile}-downloads`);
  const browser = await chromium.launchPersistentContext(ctx.temp.dir(profile), {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS],
    acceptDownloads: true,
    downloadsPath: downloadsDir,
  });
  const close = onCleanup(`chromium (${profile})`, () => browser.close());
  try {
    const page = await browser.newPage();
    beforeLogin?.(page);
    await page.goto(await friendLoginUrl(web.url, world, profile));
    await page.getByTestId("account-key").waitFor({ timeout: 30_000 });
    await page
      .getByRole("region", { name: "Shared with me" })
      .getByRole("button", { name: new RegExp(catalog) })
      .click({ timeout: 30_000 });
    return { page, browser, downloadsDir, close };
  } catch (e) {
    await close();
    throw e;
  }
}
