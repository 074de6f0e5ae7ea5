import { describe, expect, it } from "vitest";
import { buildTriggerEvent, parseTriggerReply } from "./reply.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("reading a function's reply", () => {
  it("given {ok:true}, then the event was applied", () => {
    expect(parseTriggerReply(bytes('{"ok":true}'))).toEqual({ kind: "applied" });
  });

  it("given {ok:false}, then it is a retryable failure carrying the function's error", () => {
    expect(parseTriggerReply(bytes('{"ok":false,"error":"db down"}'))).toEqual({
      kind: "failed",
      error: "db down",
      retry: true,
    });
  });

  it("given {ok:false, retry:false}, then it is a failure not worth retrying", () => {
    expect(parseTriggerReply(bytes('{"ok":false,"error":"bad event","retry":false}'))).toMatchObject({ retry: false });
  });

  it("given garbage or another shape, then it is a retryable failure", () => {
    expect(parseTriggerReply(bytes("<html>"))).toMatchObject({ kind: "failed", retry: true });
    expect(parseTriggerReply(bytes('"ok"'))).toMatchObject({ kind: "failed", retry: true });
    expect(parseTriggerReply(bytes('{"ok":"yes"}'))).toMatchObject({ kind: "failed", retry: true });
  });
});

describe("building the event", () => {
  it("given a stored message, then the event carries its stream facts, time as ISO and the body as text", () => {
    const event = buildTriggerEvent({
      stream: "S",
      seq: 7,
      subject: "s.x",
      timestampNanos: Date.UTC(2025, 0, 2, 3, 4, 5, 678) * 1e6 + 123_456,
      delivery: 2,
      data: bytes('{"é":1}'),
    });
    expect(event).toEqual({
      stream: "S",
      seq: 7,
      subject: "s.x",
      time: "2025-01-02T03:04:05.678Z",
      delivery: 2,
      data: '{"é":1}',
    });
  });
});
