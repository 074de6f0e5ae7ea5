import { execFile } from "node:child_process";
import { statSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Page } from "playwright-core";
import { MiB } from "./config.ts";
import { prepareCatalog, serveCatalogProcess } from "./lib/catalogs.ts";
import { median, round } from "./lib/stats.ts";
import type { Bench, BenchContext, Measurement } from "./lib/types.ts";
import { openWebSession } from "./lib/web-session.ts";

const run = promisify(execFile);
const CATALOG = "media";
const MOVIE = "movie.mp4";
const SECONDS = 240;
/** Constant 4 Mbit/s (x264 CBR with filler): 4 minutes is ≈ 115 MiB. */
const BITRATE = "4M";
const TARGET_MS = 1000;
const SEEK_AT = 0.8;

/**
 * Runs in the page (a string, so the bundler's helpers never leak into it): waits for the player
 * to run, pauses, seeks to 80%, plays, and returns the ms from the seek to `playing`.
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
    const playhead = v.currentTime / v.duration;
    const buffered = [];
    for (let i = 0; i < v.buffered.length; i++) buffered.push([v.buffered.start(i) / v.duration, v.buffered.end(i) / v.duration]);
    // What the page fetched for media elements so far, read in the same turn as the seek.
    const src = new URL(v.currentSrc).pathname;
    const spans = (window.__natsterMediaSpans || []).filter((s) => s.path === src).map((s) => ({ start: s.start, end: s.start + s.delivered }));
    const playing = wait(v, "playing", 30000);
    const t0 = performance.now();
    v.currentTime = v.duration * ${SEEK_AT};
    await v.play();
    await playing;
    return { ok: true, seekMs: performance.now() - t0, position: v.currentTime / v.duration, playhead, buffered, spans };
  } catch (e) {
    return { ok: false, reason: String(e && e.message ? e.message : e) };
  }
})()`;

type SeekResult =
  | {
      ok: true;
      seekMs: number;
      position: number;
      playhead: number;
      buffered: [number, number][];
      spans: { start: number; end: number }[];
    }
  | { ok: false; reason: string };

async function seekToPlay(page: Page, size: number): Promise<{ ms: number; fetchedMiB: number; seekMiB: number }> {
  const r = await page.evaluate<SeekResult>(SEEK_TO_PLAY);
  if (!r.ok) throw new Error(`the player did not play after the seek: ${r.reason}`);
  if (r.position < SEEK_AT - 0.05)
    throw new Error(`the player is at ${(r.position * 100).toFixed(0)}% after seeking to ${SEEK_AT * 100}%`);
  const seekByte = SEEK_AT * size;
  if (r.spans.length === 0) throw new Error("the page reports no media spans (web/src/media/media-bridge.ts)");
  if (r.spans.some((x) => x.start > r.playhead * size))
    throw new Error(`a media request before the seek started beyond the playhead (${JSON.stringify(r.spans)})`);
  const fetchedEnd = Math.max(...r.spans.map((x) => x.end));
  if (fetchedEnd >= seekByte)
    throw new Error(
      `not an honest seek: bytes up to ${fetchedEnd} were fetched before seeking to byte ${Math.round(seekByte)}`,
    );
  return { ms: r.seekMs, fetchedMiB: fetchedEnd / MiB, seekMiB: seekByte / MiB };
}

/**
 * web.seek_to_play_ms: a generated 4-minute, ≈ 115 MiB constant-bitrate MP4 (H.264/AAC, faststart) in
 * a served catalog; the friend's browser opens it in the web app's player (service worker → v2
 * range transfers), and the page measures from setting currentTime to 80% until `playing`.
 * Honesty check per repeat, otherwise the run fails: the byte spans the page handed to the player
 * before the seek (web/src/media/media-bridge.ts, read in the same JS turn as setting currentTime)
 * all start at or before the playhead and end below the seek point. Fresh player each repeat; median.
 */
export const webSeekBench: Bench = {
  name: "web.seek_to_play_ms",
  keys: ["web.seek_to_play_ms"],
  async run(ctx: BenchContext): Promise<Measurement[]> {
    const world = await ctx.world();
    await run("ffmpeg", ["-version"]).catch(() => {
      throw new Error("ffmpeg is not installed: run scripts/setup.sh (apt-get install ffmpeg)");
    });
    const root = ctx.temp.dir("media-root");
    const movie = join(root, MOVIE);
    // prettier-ignore
    await run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", `testsrc=duration=${SECONDS}:size=320x180:rate=25`, "-f", "lavfi", "-i", `sine=frequency=440:duration=${SECONDS}`,
      "-c:v", "libx264", "-preset", "ultrafast", "-b:v", BITRATE, "-minrate", BITRATE, "-maxrate", BITRATE, "-bufsize", "4M", "-x264-params", "nal-hrd=cbr",
      "-pix_fmt", "yuv420p", "-c:a", "aac", "-movflags", "+faststart", movie]);
    const size = statSync(movie).size;
    if (size < 100 * MiB)
      throw new Error(`the generated video has ${(size / MiB).toFixed(0)} MiB, not the ≥ 100 MiB an honest seek needs`);
    await prepareCatalog(world, { home: ctx.home, name: CATALOG, root });
    const server = await serveCatalogProcess(world, { home: ctx.home, name: CATALOG });
    const session = await openWebSession(ctx, world, CATALOG, "chromium-seek");
    try {
      const { page } = session;
      const samples: number[] = [];
      const fetched: number[] = [];
      let seekMiB = 0;
      for (let i = 0; i < ctx.sizes.webRepeats + 1; i++) {
        await page.getByRole("button", { name: `Play ${MOVIE}` }).click({ timeout: 30_000 });
        await page.locator("video").waitFor({ timeout: 30_000 });
        const r = await seekToPlay(page, size);
        seekMiB = r.seekMiB;
        if (i > 0) {
          samples.push(round(r.ms, 1)); // the first opening warms up the service worker and JIT
          fetched.push(round(r.fetchedMiB, 1));
        }
        await page.getByRole("button", { name: "Close viewer" }).click();
      }
      const value = round(median(samples), 1);
      ctx.log(
        `seek to play ${samples.join("/")} ms; fetched before the seek ≤ ${fetched.join("/")} MiB, seek point at ${seekMiB.toFixed(0)} MiB`,
      );
      return [
        {
          key: "web.seek_to_play_ms",
          value,
          unit: "ms",
          baselineLabel: `target ${TARGET_MS} ms`,
          baseline: TARGET_MS,
          baselineUnit: "ms",
          ratio: round(value / TARGET_MS, 3),
          target: { kind: "max", value: 1 },
          samples: { value: samples },
          extra: {
            repeats: samples.length,
            movie: `${SECONDS} s 320x180 H.264/AAC CBR ${BITRATE}bit/s faststart`,
            movie_mib: round(size / MiB, 1),
            seek_point_mib: round(seekMiB, 1),
            max_fetched_before_seek_mib: Math.max(...fetched),
          },
          notes: [
            "headless Debian Chromium (playwright-core), web app built by buildWeb() and served by startWebServer(); catalog-server workload as a child process; unthrottled; median over fresh players",
            "honesty check (per repeat, else the run fails): the byte spans the page delivered to the player before the seek, read in the same JS turn as the seek, start at or before the playhead and end below the seek point, so nothing between what was buffered and the seek point was fetched before the seek",
          ],
        },
      ];
    } finally {
      await session.close();
      await server.stop();
    }
  },
};
