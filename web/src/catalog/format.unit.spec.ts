import { describe, expect, it } from "vitest";
import { displayDescription, humanSize, mimeEssence, viewerKind } from "./format.ts";

describe("humanSize", () => {
  it("given sizes across units, then 1024-based with two decimals", () => {
    expect(humanSize(0)).toBe("0 bytes");
    expect(humanSize(1)).toBe("1 byte");
    expect(humanSize(1023)).toBe("1023 bytes");
    expect(humanSize(1536)).toBe("1.50 KiB");
    expect(humanSize(5 * 1024 ** 3)).toBe("5.00 GiB");
  });
});

describe("displayDescription", () => {
  it("given upstream's placeholder or blanks, then nothing to show", () => {
    expect(displayDescription("Auto-imported library entry")).toBeUndefined();
    expect(displayDescription("  ")).toBeUndefined();
    expect(displayDescription("Our trip")).toBe("Our trip");
  });
});

describe("viewerKind", () => {
  it("given text/plain with a charset (what .txt files get), then it is viewable as text (upstream bug 21)", () => {
    expect(mimeEssence("text/plain; charset=utf-8")).toBe("text/plain");
    expect(viewerKind("text/plain; charset=utf-8")).toBe("text");
  });

  it("given any video or audio type, then the browser decides the codec (nothing hard-coded)", () => {
    expect(viewerKind("video/mp4")).toBe("video");
    expect(viewerKind("video/webm")).toBe("video");
    expect(viewerKind("audio/flac")).toBe("audio");
    expect(viewerKind("Audio/MPEG")).toBe("audio");
  });

  it("given images, PDFs, JSON and unknown binaries, then image, pdf, text and nothing", () => {
    expect(viewerKind("image/png")).toBe("image");
    expect(viewerKind("application/pdf")).toBe("pdf");
    expect(viewerKind("application/ld+json")).toBe("text");
    expect(viewerKind("application/octet-stream")).toBeUndefined();
  });
});
