import { describe, expect, it } from "vitest";
import { BridgeConfigError, parseBridgeConfig, TRIGGER_DEFAULTS } from "./config.ts";

const minimal = {
  trigger_subject: "natster.fn.catalog",
  stream: "EVENTS",
  durable: "catalog",
  filter_subjects: ["events.>"],
};

describe("bridge config", () => {
  it("given a minimal spec, when parsed, then every default is filled in", () => {
    expect(parseBridgeConfig(JSON.stringify([minimal]))).toEqual([
      { ...minimal, ...TRIGGER_DEFAULTS, backoff_ms: [...TRIGGER_DEFAULTS.backoff_ms] },
    ]);
  });

  it("given no config or not an array, then it is refused with a clear message", () => {
    expect(() => parseBridgeConfig(undefined)).toThrow(/NATSTER_BRIDGE_CONFIG is empty/);
    expect(() => parseBridgeConfig("{")).toThrow(/not JSON/);
    expect(() => parseBridgeConfig("{}")).toThrow(/JSON array/);
    expect(() => parseBridgeConfig("[]")).toThrow(/non-empty/);
  });

  it.each([
    [{ trigger_subject: "fn.*" }, /trigger_subject/],
    [{ stream: "A.B" }, /stream/],
    [{ durable: "" }, /durable/],
    [{ filter_subjects: ["a..b"] }, /filter_subjects/],
    [{ max_deliver: 0 }, /max_deliver/],
    [{ backoff_ms: [-1] }, /backoff_ms/],
    [{ ordered: "yes" }, /ordered/],
    [{ request_timeout_ms: 30_000 }, /must be below ack_wait_ms/],
    [{ ack_wait_ms: 500, request_timeout_ms: 100 }, /ack_wait_ms must be at least 1000/],
    [{ batch_max_events: 0 }, /batch_max_events/],
    [{ batch_max_bytes: 2_000_000 }, /batch_max_bytes/],
    [{ batch_max_parts: 0 }, /batch_max_parts/],
  ])("given a bad field %o, then the spec is refused", (bad, message) => {
    expect(() => parseBridgeConfig(JSON.stringify([{ ...minimal, ...bad }]))).toThrow(message);
  });

  it("given two unbatched specs with the same durable on one stream, then the config is refused", () => {
    expect(() => parseBridgeConfig(JSON.stringify([minimal, { ...minimal, trigger_subject: "other" }]))).toThrow(
      BridgeConfigError,
    );
  });

  describe("given ordered batched specs naming the same durable", () => {
    const batched = { ...minimal, batch_max_events: 100 };

    it("when their consumer settings agree, then they are accepted (they share the consumer)", () => {
      const specs = parseBridgeConfig(JSON.stringify([batched, { ...batched, trigger_subject: "other" }]));
      expect(specs.map((s) => [s.durable, s.trigger_subject])).toEqual([
        ["catalog", "natster.fn.catalog"],
        ["catalog", "other"],
      ]);
    });

    it.each([
      [{}, /share trigger_subject/],
      [{ trigger_subject: "other", batch_max_events: 50 }, /must agree on ack_wait_ms and batch_max_events/],
      [{ trigger_subject: "other", ack_wait_ms: 20_000 }, /must agree on ack_wait_ms and batch_max_events/],
      [{ trigger_subject: "other", ordered: false }, /only ordered batched specs/],
    ])("when the second differs by %o, then the config is refused", (second, message) => {
      expect(() => parseBridgeConfig(JSON.stringify([batched, { ...batched, ...second }]))).toThrow(message);
    });
  });
});
