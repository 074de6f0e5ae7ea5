import { describe, expect, it } from "vitest";
import { kvEntryState } from "./kv-entry.ts";

const block = (...lines: string[]) => `${lines.join("\r\n")}\r\n\r\n`;

describe("kvEntryState", () => {
  it("given a stored value's headers, when read, then it is a value", () => {
    expect(kvEntryState(block("NATS/1.0", "Nats-Stream: KV_b", "Nats-Subject: $KV.b.k", "Nats-Sequence: 7"))).toBe(
      "value",
    );
  });

  it("given a status line with a code, when read, then the key is missing", () => {
    expect(kvEntryState(block("NATS/1.0 404 Message Not Found"))).toBe("missing");
    expect(kvEntryState(block("NATS/1.0 408 Request Timeout"))).toBe("missing");
  });

  it("given a status line without a number, when read, then it counts as no status (as nats.js)", () => {
    expect(kvEntryState(block("NATS/1.0 odd", "Nats-Stream: KV_b"))).toBe("value");
  });

  it("given a delete or purge marker, when read, then the key is missing", () => {
    expect(kvEntryState(block("NATS/1.0", "Nats-Stream: KV_b", "KV-Operation: DEL"))).toBe("missing");
    expect(kvEntryState(block("NATS/1.0", "KV-Operation:  PURGE "))).toBe("missing");
  });

  it("given a MaxAge marker, when read, then the key is missing", () => {
    expect(kvEntryState(block("NATS/1.0", "Nats-Marker-Reason: MaxAge"))).toBe("missing");
  });

  it("given keys that only match without case, or a later repeat, when read, then only the exact first one counts", () => {
    expect(kvEntryState(block("NATS/1.0", "kv-operation: DEL"))).toBe("value");
    expect(kvEntryState(block("NATS/1.0", "KV-Operation: PUT", "KV-Operation: DEL"))).toBe("value");
  });
});
