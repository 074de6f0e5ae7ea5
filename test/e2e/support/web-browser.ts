/**
 * What the full-stack browser e2e needs besides the CLI helpers of cli-e2e.ts: Debian Chromium
 * through playwright-core, and three honest witnesses of what travels while the page plays media:
 *
 * - `WireBytes`: every byte the page RECEIVED on its websockets (the NATS connection: catalog
 *   pages, encrypted media chunks, feeds), as Chromium's own DevTools protocol reports the frames.
 * - `MediaRequests`: the `<video>` element's `/media/...` requests and their `Range` headers (the
 *   page's requests are reported even though the service worker answers them).
 * - `CatalogServerLog`: the catalog servers' own account of each transfer ("download from <who> ->
 *   200 sent <path>: <n> chunks, <bytes> bytes" or "transfer cancelled … after …"), read from the
 *   Nex node's log subjects `$NEX.logs.<namespace>.<node>.<workload>`, as `nex logs` does.
 */
import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import { connectWithCreds } from "@natster/node-kit";
import { existsSync, readFileSync } from "node:fs";
import { chromium, type BrowserContext, type CDPSession, type Locator, type Page } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS } from "@natster/test-kit";

export { CHROMIUM, CHROMIUM_ARGS } from "@natster/test-kit";

/**
 * Headless Debian Chromium with a fresh profile (no cache, no service worker, no session).
 * `serviceWorkers: "block"` stands for a browser where the page cannot register one.
 */
export async function launchChromium(
  profileDir: string,
  { serviceWorkers = "allow" }: { serviceWorkers?: "allow" | "block" } = {},
): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS],
    acceptDownloads: true,
    serviceWorkers,
    viewport: { width: 1280, height: 800 },
  });
}

/** Waits (bounded) until `locator` is visible and returns it. */
export async function visible(locator: Locator, timeoutMs = 20_000): Promise<Locator> {
  await locator.waitFor({ state: "visible", timeout: timeoutMs });
  return locator;
}

/** Bytes the page received on all its websockets since `attach`. */
export class WireBytes {
  received = 0;
  frames = 0;

  attach(page: Page): void {
    page.on("websocket", (ws) => {
      ws.on("framereceived", ({ payload }) => {
        this.received += typeof payload === "string" ? Buffer.byteLength(payload) : payload.length;
        this.frames++;
      });
    });
  }
}

export type MediaRequest = { at: number; url: string; range: string | null; start: number | undefined };

/** The media element's requests to the service worker's `/media/` URLs, with their Range start. */
export class MediaRequests {
  readonly all: MediaRequest[] = [];

  attach(page: Page): void {
    page.on("request", (request) => {
      if (!new URL(request.url()).pathname.startsWith("/media/")) return;
      const range = request.headers()["range"] ?? null;
      const start = range ? /^bytes=(\d+)-/.exec(range)?.[1] : undefined;
      this.all.push({
        at: Date.now(),
        url: request.url(),
        range,
        start: start === undefined ? undefined : Number(start),
      });
    });
  }

  since(at: number): MediaRequest[] {
    return this.all.filter((r) => r.at >= at);
  }
}

/** `outcome` is "complete" for "200 sent", else the transfer's end reason ("cancelled", …). */
export type TransferLine = {
  at: number;
  requester: string;
  outcome: string;
  path: string;
  chunks: number;
  bytes: number;
  text: string;
};

const DOWNLOAD_LINE =
  /catalog-server: download from (\S+) -> (?:200 sent|transfer (\S+) \([^)]*\) after) (.+): (\d+) chunks, (\d+) bytes/;

/** `workload` is the Nex workload id: the last token of `$NEX.logs.<namespace>.<node>.<workload>`. */
export type ServerLine = { at: number; workload: string; text: string };

/** Every catalog server's log lines as the Nex node publishes them, and their transfers parsed. */
export class CatalogServerLog {
  readonly lines: ServerLine[] = [];
  readonly transfers: TransferLine[] = [];
  private readonly subs: Subscription[];

  private constructor(private readonly ncs: NatsConnection[]) {
    this.subs = ncs.map((nc) => this.#follow(nc));
  }

  #follow(nc: NatsConnection): Subscription {
    return nc.subscribe("$NEX.logs.>", {
      callback: (error, msg) => {
        if (error) return;
        let text: unknown;
        try {
          text = msg.json<{ text?: unknown }>().text;
        } catch {
          return;
        }
        if (typeof text !== "string" || !text.includes(" catalog-server: ")) return;
        const at = Date.now();
        this.lines.push({ at, workload: msg.subject.split(".").pop() ?? "", text });
        const m = DOWNLOAD_LINE.exec(text);
        if (m)
          this.transfers.push({
            at,
            requester: m[1] ?? "",
            outcome: m[2] ?? "complete",
            path: m[3] ?? "",
            chunks: Number(m[4]),
            bytes: Number(m[5]),
            text: m[0],
          });
      },
    });
  }

  /**
   * When workload `workload` itself wrote its first line matching `pattern` received since `since`:
   * the ISO timestamp the line starts with (the workload's clock: the same machine), or undefined.
   */
  stamp(workload: string, pattern: RegExp, since: number): number | undefined {
    const line = this.lines.find((l) => l.at >= since && l.workload === workload && pattern.test(l.text));
    const iso = line && /^(\S+Z) /.exec(line.text)?.[1];
    return iso ? Date.parse(iso) : undefined;
  }

  /**
   * Subscribes in every account whose Nex node runs catalog servers: HUB (the hub's own node) and
   * each user's own (every account's node publishes its workloads' logs in that account).
   */
  static async follow(natsUrl: string, credsFiles: string[]): Promise<CatalogServerLog> {
    const ncs = await Promise.all(
      credsFiles.map((f) => connectWithCreds(natsUrl, readFileSync(f), "e2e-web-full-log-reader")),
    );
    const log = new CatalogServerLog(ncs);
    await Promise.all(ncs.map((nc) => nc.flush()));
    return log;
  }

  since(at: number, path: string): TransferLine[] {
    return this.transfers.filter((t) => t.at >= at && t.path === path);
  }

  async close(): Promise<void> {
    for (const sub of this.subs) sub.unsubscribe();
    await Promise.all(this.ncs.map((nc) => nc.close()));
  }
}

/** DevTools network emulation: caps what the page can download per second (websockets included). */
export class Throttle {
  private constructor(private readonly cdp: CDPSession) {}

  static async of(context: BrowserContext, page: Page): Promise<Throttle> {
    return new Throttle(await context.newCDPSession(page));
  }

  async limit(bytesPerSecond: number): Promise<void> {
    await this.cdp.send("Network.enable");
    await this.cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: bytesPerSecond,
      uploadThroughput: -1,
    });
  }

  async lift(): Promise<void> {
    await this.cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
  }

  async detach(): Promise<void> {
    await this.cdp.detach().catch(() => undefined);
  }
}

/**
 * In-page probe (a string: the test's TypeScript has no DOM types): attaches to the first
 * `<video>` the app inserts, before any media event can fire, and records its events.
 */
export const MEDIA_PROBE = `(() => {
  const probe = { video: null, events: [] };
  window.__natsterMedia = probe;
  const hook = () => {
    const v = document.querySelector("video");
    if (!v || probe.video === v) return;
    probe.video = v;
    for (const type of ["loadedmetadata", "playing", "waiting", "seeking", "seeked", "stalled", "error"]) {
      v.addEventListener(type, () => probe.events.push({ type, at: Date.now(), t: v.currentTime }));
    }
  };
  new MutationObserver(hook).observe(document.body, { childList: true, subtree: true });
  hook();
})()`;

export type MediaState = {
  currentTime: number;
  duration: number;
  paused: boolean;
  readyState: number;
  buffered: [number, number][];
  events: { type: string; at: number; t: number }[];
  error: string | null;
};

export const MEDIA_STATE = `(() => {
  const p = window.__natsterMedia;
  const v = p && p.video;
  if (!v) return null;
  const buffered = [];
  for (let i = 0; i < v.buffered.length; i++) buffered.push([v.buffered.start(i), v.buffered.end(i)]);
  return { currentTime: v.currentTime, duration: v.duration, paused: v.paused, readyState: v.readyState, buffered, events: p.events, error: v.error ? v.error.message || String(v.error.code) : null };
})()`;

export type SeekResult =
  | { ok: true; ms: number; seekAt: number; playingAt: number; target: number; currentTime: number; duration: number }
  | { ok: false; reason: string };

/**
 * Seeks the playing video to 80% (as a click on the timeline does: currentTime = 0.8·duration) and
 * returns at once; AWAIT_SEEK then resolves with the ms until `playing` fires with currentTime ≥ the
 * target (bounded in the page). Two steps, so a test can seek while the link is still throttled
 * (the seek point can't be buffered by then) and lift the throttle only after the seek was issued.
 */
export const START_SEEK_TO_80 = (timeoutMs: number) => `(() => {
  const v = window.__natsterMedia.video;
  const target = 0.8 * v.duration;
  const seekAt = Date.now();
  const t0 = performance.now();
  const playing = new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ ok: false, reason: "no playing at >= " + target + " s within ${timeoutMs} ms (currentTime " + v.currentTime + ", readyState " + v.readyState + ", events " + JSON.stringify(window.__natsterMedia.events.slice(-8)) + ")" }), ${timeoutMs});
    const on = () => {
      if (v.currentTime < target) return;
      clearTimeout(timer);
      v.removeEventListener("playing", on);
      resolve({ ok: true, ms: performance.now() - t0, seekAt, playingAt: Date.now(), target, currentTime: v.currentTime, duration: v.duration });
    };
    v.addEventListener("playing", on);
  });
  window.__natsterSeek = playing;
  v.currentTime = target;
  return seekAt;
})()`;

export const AWAIT_SEEK = `window.__natsterSeek`;

type HeapNow = { js: number; buffers: number };

/**
 * The page's memory while something runs: its JS heap (V8's used size) and its ArrayBuffer backing
 * stores (DevTools Runtime.getHeapUsage), sampled every 100 ms after a forced GC; `growth` is the
 * peak minus the start. A bound on it holds whatever the machine's speed.
 */
export class PageMemory {
  readonly growth: HeapNow = { js: 0, buffers: 0 };
  private sampling = true;
  private loop: Promise<void> = Promise.resolve();

  private constructor(private readonly cdp: CDPSession) {}

  static async sample(context: BrowserContext, page: Page): Promise<PageMemory> {
    const memory = new PageMemory(await context.newCDPSession(page));
    await memory.cdp.send("HeapProfiler.collectGarbage");
    const base = await memory.now();
    memory.loop = (async () => {
      while (memory.sampling) {
        const now = await memory.now().catch(() => base);
        memory.growth.js = Math.max(memory.growth.js, now.js - base.js);
        memory.growth.buffers = Math.max(memory.growth.buffers, now.buffers - base.buffers);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    return memory;
  }

  async stop(): Promise<void> {
    this.sampling = false;
    await this.loop;
    await this.cdp.detach().catch(() => undefined);
  }

  private async now(): Promise<HeapNow> {
    const h = await this.cdp.send("Runtime.getHeapUsage");
    return { js: h.usedSize, buffers: h.backingStorageSize ?? 0 };
  }
}
