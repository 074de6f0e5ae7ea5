import { describe, expect, it } from "vitest";
import { DISK_WINDOW_BUDGET, DISK_WINDOW_MAX, DISK_WINDOW_MIN, diskWindow } from "./disk-window.ts";

describe("diskWindow", () => {
  it("given no other download running, then the download gets the largest window", () => {
    expect(diskWindow(0)).toBe(DISK_WINDOW_MAX);
  });

  it("given other downloads holding all but a few chunks of the budget, then the window is what is left of it", () => {
    expect(diskWindow(DISK_WINDOW_BUDGET - 10)).toBe(10);
  });

  it("given downloads that start one after another, then they get full windows until the budget is spent, and the minimum after", () => {
    const windows: number[] = [];
    let reserved = 0;
    for (let i = 0; i < DISK_WINDOW_BUDGET / DISK_WINDOW_MAX + 1; i++) {
      windows.push(diskWindow(reserved));
      reserved += windows.at(-1)!;
    }
    expect(windows.slice(0, -1).every((w) => w === DISK_WINDOW_MAX)).toBe(true);
    expect(windows.at(-1)).toBe(DISK_WINDOW_MIN);
    expect(reserved - DISK_WINDOW_MIN).toBe(DISK_WINDOW_BUDGET);
  });

  it("given the budget already spent, then a new download still moves with the minimum window", () => {
    expect(diskWindow(DISK_WINDOW_BUDGET)).toBe(DISK_WINDOW_MIN);
    expect(diskWindow(10 * DISK_WINDOW_BUDGET)).toBe(DISK_WINDOW_MIN);
  });

  it("keeps the budget's bytes under nats-server's default max_pending (64 MB) at 512 KiB a chunk", () => {
    expect(DISK_WINDOW_BUDGET * 512 * 1024).toBeLessThan(64 * 1024 * 1024);
  });
});
