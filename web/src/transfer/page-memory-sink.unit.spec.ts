import { describe, expect, it } from "vitest";
import { pageMemorySink } from "./page-memory-sink.ts";

const bytes = (n: number) => new Uint8Array(n).fill(7);

describe("a download held in the page's memory", () => {
  it("given chunks up to the listed size, when written and committed, then it holds them in order", async () => {
    const sink = pageMemorySink(10);
    await sink.write(bytes(6));
    await sink.write(bytes(4));
    await sink.commit?.();
    expect(sink.parts.map((p) => p.length)).toEqual([6, 4]);
    expect(sink.committed).toBe(true);
  });

  it("given a sender going past the listed size, when the chunk too many comes, then it is refused and not kept", async () => {
    const sink = pageMemorySink(10);
    await sink.write(bytes(8));
    await expect(sink.write(bytes(4))).rejects.toMatchObject({ code: "CHUNK_REJECTED" });
    expect(sink.parts.map((p) => p.length)).toEqual([8]);
    expect(sink.committed).toBe(false);
  });

  it("given an empty listed file, when any byte comes, then it is refused", async () => {
    const sink = pageMemorySink(0);
    await expect(sink.write(bytes(1))).rejects.toMatchObject({ code: "CHUNK_REJECTED" });
  });
});
