import { NatsterError } from "@natster/protocol";
import { describe, expect, it } from "vitest";
import { withheldTailSink, type ChunkOutlet } from "./withheld-tail-sink.ts";

/** Records what the consumer saw, in order. */
function recorder(): ChunkOutlet & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    send: (chunk) => {
      seen.push(`chunk ${new TextDecoder().decode(chunk)}`);
      return Promise.resolve();
    },
    end: () => seen.push("end"),
    fail: (error) => seen.push(`fail ${error.code}`),
  };
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe("withheld-tail sink (a browser download that only completes verified)", () => {
  it("given three chunks, then the consumer gets the first two at once and the last only at commit, then the end", async () => {
    const outlet = recorder();
    const sink = withheldTailSink(outlet);
    await sink.write(bytes("a"));
    await sink.write(bytes("b"));
    await sink.write(bytes("c"));
    expect(outlet.seen).toEqual(["chunk a", "chunk b"]);
    await sink.commit!();
    expect(outlet.seen).toEqual(["chunk a", "chunk b", "chunk c", "end"]);
  });

  it("given a SHA-256 mismatch found after the last chunk, then the consumer never gets it and fails instead of completing", async () => {
    const outlet = recorder();
    const sink = withheldTailSink(outlet);
    await sink.write(bytes("a"));
    await sink.write(bytes("b"));
    await sink.abort!(new NatsterError("HASH_MISMATCH", "the received file hashes to something else"));
    expect(outlet.seen).toEqual(["chunk a", "fail HASH_MISMATCH"]);
  });

  it("given a one-chunk (or empty) file, then nothing reaches the consumer before verification", async () => {
    const outlet = recorder();
    const sink = withheldTailSink(outlet);
    await sink.write(new Uint8Array());
    expect(outlet.seen).toEqual([]);
    await sink.commit!();
    expect(outlet.seen).toEqual(["chunk ", "end"]);
  });

  it("given a consumer that has not pulled yet, then the next write waits for it (its pace is the transfer's pace)", async () => {
    let release!: () => void;
    const taken: string[] = [];
    const sink = withheldTailSink({
      send: (chunk) =>
        new Promise((resolve) => (release = () => (taken.push(new TextDecoder().decode(chunk)), resolve()))),
      end: () => undefined,
      fail: () => undefined,
    });
    await sink.write(bytes("a"));
    let second = false;
    const writing = sink.write(bytes("b")).then(() => (second = true));
    await Promise.resolve();
    expect(second).toBe(false);
    release();
    await writing;
    expect(taken).toEqual(["a"]);
  });
});
