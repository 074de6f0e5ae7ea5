import { describe, expect, it } from "vitest";
import { resolveTriggerSpecs } from "./config.ts";
import { needsPin, pinTimeoutMs } from "./pinning.ts";

const spec = (overrides: Record<string, unknown>) =>
  resolveTriggerSpecs([
    { trigger_subject: "fn.x", stream: "S", durable: "D", filter_subjects: ["s.>"], ...overrides },
  ])[0]!;

describe("pinning: which durables one bridge instance consumes at a time", () => {
  it("given an ordered batched spec, when planned, then it is pinned", () => {
    expect(needsPin(spec({ ordered: true, batch_max_events: 2000 }))).toBe(true);
  });

  it("given an ordered spec without batches or an unordered one, when planned, then every instance shares it", () => {
    expect(needsPin(spec({ ordered: true }))).toBe(false);
    expect(needsPin(spec({ ordered: false, batch_max_events: 50 }))).toBe(false);
  });

  it("given an ack wait, when the pin timeout is derived, then it outlasts the ack wait plus one pull", () => {
    expect(pinTimeoutMs(spec({ ack_wait_ms: 30_000 }))).toBe(36_000);
    expect(pinTimeoutMs(spec({ ack_wait_ms: 2_000, request_timeout_ms: 500 }))).toBe(8_000);
  });
});
