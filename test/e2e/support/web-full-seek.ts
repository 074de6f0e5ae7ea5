import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import {
  AWAIT_SEEK,
  MEDIA_PROBE,
  MEDIA_STATE,
  START_SEEK_TO_80,
  Throttle,
  visible,
  type MediaState,
  type SeekResult,
} from "./web-browser.ts";
import { MOVIE, SEEK_WAIT_MS, SHOTS, SLOW_LINK_BYTES_PER_SECOND, type WebFullSession } from "./web-full-session.ts";

/**
 * Plays the hub's demo MP4, seeks to 80% and plays again; the player, the hub's catalog server and
 * the websocket agree that only the bytes from the seek point on were fetched (see the spec's header).
 * Writes test-results/web/seek-to-play.json.
 */
export async function playSeekAndCount(s: WebFullSession): Promise<void> {
  const size = statSync(s.hubMedia(MOVIE)).size;
  const throttle = await Throttle.of(s.context!, s.page);
  try {
    await s.page.evaluate(MEDIA_PROBE);
    await throttle.limit(SLOW_LINK_BYTES_PER_SECOND);
    const playClickedAt = Date.now();
    await s.page
      .getByRole("list", { name: "Files" })
      .getByRole("button", { name: `Play ${MOVIE}` })
      .click();
    await visible(s.page.getByRole("dialog", { name: `hub | ${MOVIE}` }));
    await visible(s.page.locator("video"), 30_000);

    // It plays: `playing` fired and the clock moves.
    const state = () => s.page.evaluate<MediaState | null>(MEDIA_STATE);
    await expect
      .poll(async () => (await state())?.events.some((e) => e.type === "playing") ?? false, {
        timeout: 30_000,
        interval: 100,
      })
      .toBe(true);
    await expect
      .poll(async () => (await state())?.currentTime ?? 0, { timeout: SEEK_WAIT_MS, interval: 100 })
      .toBeGreaterThan(0.5);
    const before = (await state())!;
    await expect
      .poll(async () => (await state())?.currentTime ?? 0, { timeout: 10_000, interval: 100 })
      .toBeGreaterThan(before.currentTime + 0.2);
    s.measured.open_to_playing_ms = (before.events.find((e) => e.type === "playing")?.at ?? 0) - playClickedAt;
    await s.shoot("09-playing");

    const atSeek = (await state())!;
    const bufferedEnd = Math.max(0, ...atSeek.buffered.map(([, end]) => end));
    expect(
      bufferedEnd,
      `the seek target must not be buffered yet (buffered ${JSON.stringify(atSeek.buffered)})`,
    ).toBeLessThan(0.8 * atSeek.duration);

    // Seek while still throttled (the seek point can't get buffered before the seek), then lift.
    const wireAtSeek = s.wire.received;
    const seekMark = Date.now();
    await s.page.evaluate(START_SEEK_TO_80(30_000));
    await throttle.lift();
    const seek = await s.page.evaluate<SeekResult>(AWAIT_SEEK);
    if (!seek.ok) throw new Error(`the player did not play after the seek: ${seek.reason}`);
    const wireSeekToPlaying = s.wire.received - wireAtSeek;
    s.measured.seek_to_play_ms = Math.round(seek.ms);
    await s.shoot("10-after-seek");

    // What the player asked for after the seek: one open range from about 80% of the file.
    const afterSeek = s.media.since(seekMark);
    expect(afterSeek.length, JSON.stringify(s.media.all)).toBeGreaterThanOrEqual(1);
    const rangeStart = afterSeek[0]!.start ?? 0;
    for (const r of afterSeek)
      expect(
        r.start,
        `every request after the seek starts near 80% (${JSON.stringify(afterSeek)})`,
      ).toBeGreaterThanOrEqual(0.6 * size);
    const beforeSeek = s.media.since(playClickedAt).filter((r) => r.at < seekMark);
    expect(beforeSeek.map((r) => r.start)).toEqual([0]);

    // What the hub's catalog server sent for this playback, by its own log.
    const movieTransfers = () => s.serverLog!.since(playClickedAt, `/${MOVIE}`);
    await expect
      .poll(
        () =>
          movieTransfers().some((t) => t.outcome === "complete") &&
          movieTransfers().some((t) => t.outcome !== "complete"),
        { timeout: 20_000, interval: 100 },
      )
      .toBe(true);
    const transfers = movieTransfers();
    const fromZero = transfers.filter((t) => t.outcome !== "complete");
    const ranged = transfers.filter((t) => t.outcome === "complete");
    expect(
      transfers.every((t) => t.requester === s.bob.key),
      JSON.stringify(transfers),
    ).toBe(true);
    expect(fromZero.length, JSON.stringify(transfers)).toBe(1);
    expect(ranged.length, JSON.stringify(transfers)).toBe(1);
    expect(ranged[0]!.bytes, "the range transfer sent exactly the bytes from the seek point to the end").toBe(
      size - rangeStart,
    );
    expect(fromZero[0]!.bytes, "the transfer from 0 was cancelled before it reached the seek point").toBeLessThan(
      rangeStart,
    );
    const wireAfterSeek = s.wire.received - wireAtSeek;

    Object.assign(s.measured, {
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
          seek_to_play_ms: s.measured.seek_to_play_ms,
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
          open_to_playing_ms_throttled: s.measured.open_to_playing_ms,
        },
        null,
        2,
      ) + "\n",
    );
    console.log(
      `[web-full] seek to play ${String(s.measured.seek_to_play_ms)} ms; Range bytes=${rangeStart}- of ${size}; server sent ${fromZero[0]!.bytes} B from 0 (cancelled) + ${ranged[0]!.bytes} B for the range; ` +
        `websocket ${wireSeekToPlaying} B seek->playing, ${wireAfterSeek} B since the seek`,
    );
    expect(fromZero[0]!.bytes + ranged[0]!.bytes, "this playback fetched less than the whole file").toBeLessThan(size);
  } finally {
    await throttle.lift().catch(() => undefined);
    await throttle.detach();
  }
  await s.page.getByRole("button", { name: "Close viewer" }).click();
}
