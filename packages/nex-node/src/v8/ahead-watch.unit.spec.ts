import { describe, expect, it } from "vitest";
import { tickAheadWatch, type AheadWatch } from "./ahead-watch.ts";

describe("the pool's watchdog over top levels run ahead of a call", () => {
  it("given no run ahead, when ticks pass, then nothing ran away", () => {
    const watch: AheadWatch = {};
    expect(tickAheadWatch(watch, false, 0)).toBe(false);
    expect(tickAheadWatch(watch, false, 0)).toBe(false);
  });

  it("given a run first seen at this tick, when it is checked, then it has not run away yet", () => {
    const watch: AheadWatch = {};
    expect(tickAheadWatch(watch, true, 4)).toBe(false);
  });

  it("given the same run still going at the next tick, when it is checked, then it ran away", () => {
    const watch: AheadWatch = {};
    tickAheadWatch(watch, true, 4);
    expect(tickAheadWatch(watch, true, 4)).toBe(true);
  });

  it("given a new run started between two ticks, when it is checked, then it has not run away", () => {
    const watch: AheadWatch = {};
    tickAheadWatch(watch, true, 4);
    expect(tickAheadWatch(watch, true, 5)).toBe(false);
  });

  it("given a tick with no run between two ticks that saw runs, when the run count matches, then it has not run away", () => {
    const watch: AheadWatch = {};
    tickAheadWatch(watch, true, 4);
    tickAheadWatch(watch, false, 4);
    expect(tickAheadWatch(watch, true, 4)).toBe(false);
  });
});
