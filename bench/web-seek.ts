import { BROWSER_PERMISSIONS, sealLogin } from "@natster/protocol";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Page } from "playwright-core";
import { mintUserCreds } from "../cli/src/accounts/user-creds.ts";
import { credsText, readStackCreds } from "../infra/stack/bootstrap.ts";
import { freePort } from "../infra/stack/ports.ts";
import { prepareCatalog, serveCatalogProcess } from "./lib/catalogs.ts";
import { onCleanup } from "./lib/cleanup.ts";
import { median, round } from "./lib/stats.ts";
import type { Bench, BenchContext, Measurement } from "./lib/types.ts";

const run = promisify(execFile);
const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const CATALOG = "media";
const MOVIE = "movie.mp4";

/** The web app or its player is not there (yet): reported as the value, never a fake number. */
class Unavailable extends Error {}

const unavailable = (why: string) => (e: unknown): never => {
  throw new Unavailable(`${why}: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`);
};

/**
 * Runs in the page (a string, so the bundler's helpers never leak into it): waits for the player
 * to run, pauses, seeks to 80%, plays, and returns the ms from the seek to `playing`, or why not.
 */
const SEEK_TO_PLAY = `(async () => {
  const wait = (v, event, ms) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no " + event + " within " + ms + " ms (readyState " + v.readyState + ", error " + (v.error ? v.error.message : "none") + ")")), ms);
    v.addEventListener(event, () => { clearTimeout(timer); resolve(); }, { once: true });
  });
  const v = document.querySelector("video");
  if (!v) return { ok: false, reason: "no <video> element" };
  try {
    if (v.paused || v.readyState < 3) await wait(v, "playing", 30000);
    v.pause();
    const playing = wait(v, "playing", 30000);
    const t0 = performance.now();
    v.currentTime = v.duration * 0.8;
    await v.play();
    await playing;
    return { ok: true, seekMs: performance.now() - t0, position: v.currentTime / v.duration };
  } catch (e) {
    return { ok: false, reason: String(e && e.message ? e.message : e) };
  }
})()`;

type SeekResult = { ok: true; seekMs: number; position: number } | { ok: false; reason: string };

async function seekToPlay(page: Page): Promise<number> {
  const r = await page.evaluate<SeekResult>(SEEK_TO_PLAY);
  if (!r.ok) throw new Unavailable(`the player did not play after the seek: ${r.reason}`);
  if (r.position < 0.75) throw new Error(`the player is at ${(r.position * 100).toFixed(0)}% after seeking to 80%`);
  return r.seekMs;
}

/**
 * web.seek_to_play_ms: a generated 60 s MP4 (H.264/AAC, faststart) in a served catalog; the friend
 * logs a browser in the way `natster login` does (browser-only creds sealed behind a real one-time
 * code), opens the file in the web app's player (service worker → v2 range transfers), and the
 * page measures from setting currentTime to 80% until `playing`. Fresh player each repeat; median.
 */
export const webSeekBench: Bench = {
  name: "web.seek_to_play_ms",
  keys: ["web.seek_to_play_ms"],
  async run(ctx: BenchContext): Promise<Measurement[]> {
    const world = await ctx.world();
    const measurement = (value: number | string, extra: Measurement["extra"] = {}, samples?: number[]): Measurement => ({
      key: "web.seek_to_play_ms",
      value,
      unit: "ms",
      baselineLabel: "—",
      target: { kind: "report" },
      extra,
      ...(samples ? { samples: { value: samples } } : {}),
      notes: ["headless Debian Chromium (playwright-core), web app built by buildWeb() and served by startWebServer(); catalog-server workload as a child process; median over fresh players"],
    });
    try {
      if (!existsSync(CHROMIUM)) throw new Unavailable(`${CHROMIUM} is not installed (apt-get install chromium)`);
      await run("ffmpeg", ["-version"]).catch(unavailable("ffmpeg is not installed (apt-get install ffmpeg)"));
      // Loaded here: Vite and Playwright take seconds to import, and only this benchmark needs them.
      const { buildWeb } = await import("../infra/web/build.ts");
      const { startWebServer } = await import("../infra/web/server.ts");
      const { chromium } = await import("playwright-core");
      const dist = ctx.temp.dir("web-dist");
      await buildWeb(dist).catch(unavailable("the web app does not build"));
      const web = await startWebServer({
        port: await freePort(),
        distDir: dist,
        stackJson: { ws_url: world.stack.wsUrl, public_creds: credsText(readStackCreds(world.stack.dir, "public")) },
      });
      onCleanup("web server", () => web.stop());
      const root = ctx.temp.dir("media-root");
      await run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=duration=60:size=640x360:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:duration=60",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-movflags", "+faststart", join(root, MOVIE)]);
      await prepareCatalog(world, { home: ctx.home, name: CATALOG, root });
      const server = await serveCatalogProcess(world, { home: ctx.home, name: CATALOG });
      const profile = ctx.temp.dir("chromium-profile");
      const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
      const closeBrowser = onCleanup("chromium", () => browser.close());
      try {
        const friend = world.friend;
        const { creds } = await mintUserCreds(friend.key, friend.signingKey, "friend-browser", BROWSER_PERMISSIONS, 3600);
        const { sealed, key } = await sealLogin(new TextDecoder().decode(creds));
        const otc = await friend.global.otcGenerate(sealed);
        const page = await browser.newPage();
        await page.goto(`${web.url}/login/${otc.code}#k=${key}`);
        await page.getByTestId("account-key").waitFor({ timeout: 30_000 }).catch(unavailable("the browser login did not complete"));
        await page.getByRole("region", { name: "Shared with me" }).getByRole("button", { name: new RegExp(CATALOG) }).click({ timeout: 30_000 }).catch(unavailable("the shared catalog is not listed"));
        const samples: number[] = [];
        for (let i = 0; i < ctx.sizes.webRepeats + 1; i++) {
          await page.getByRole("button", { name: `Play ${MOVIE}` }).click({ timeout: 30_000 }).catch(unavailable("the catalog has no Play button for the MP4"));
          await page.locator("video").waitFor({ timeout: 30_000 }).catch(unavailable("the player (<video>) did not appear"));
          const ms = await seekToPlay(page);
          if (i > 0) samples.push(round(ms, 1)); // the first opening warms up the service worker and JIT
          await page.getByRole("button", { name: "Close viewer" }).click();
        }
        ctx.log(`seek to play ${samples.join("/")} ms`);
        return [measurement(round(median(samples), 1), { repeats: samples.length, movie: "60 s 640x360 H.264/AAC faststart" }, samples)];
      } finally {
        await closeBrowser();
        await server.stop();
      }
    } catch (e) {
      if (e instanceof Unavailable) {
        ctx.log(`web.seek_to_play_ms unavailable: ${e.message}`);
        return [measurement(`unavailable: ${e.message}`)];
      }
      throw e;
    }
  },
};
