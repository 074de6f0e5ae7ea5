import { describe, expect, it } from "vitest";
import { entryAt, refusal, SOME_HASH } from "./spec-support.ts";
import { fileNameFor, needsListing, outputPlan, targetPath } from "./download-target.ts";

const HASH = SOME_HASH;
const entry = entryAt;
const folders = new Set(["/home/bob", "/home/bob/films"]);
const isDirectory = (path: string) => folders.has(path);

describe("catalog download: where the file goes", () => {
  it("given no out, an existing folder or a path ending in /, then the file goes into that folder; else out names the file", () => {
    expect(outputPlan(undefined, "/home/bob", isDirectory)).toEqual({ kind: "folder", dir: "/home/bob" });
    expect(outputPlan("films", "/home/bob", isDirectory)).toEqual({ kind: "folder", dir: "/home/bob/films" });
    expect(outputPlan("films/", "/home/bob", isDirectory)).toEqual({ kind: "folder", dir: "/home/bob/films" });
    expect(outputPlan("film.mp4", "/home/bob", isDirectory)).toEqual({ kind: "file", path: "/home/bob/film.mp4" });
  });

  it("given a folder that does not exist, named or holding the output file, then NOT_FOUND says so before anything moves", () => {
    for (const [out, folder] of [
      ["new/", "/home/bob/new"],
      ["new/film.mp4", "/home/bob/new"],
    ] as const) {
      const refused = refusal(() => outputPlan(out, "/home/bob", isDirectory));
      expect(refused.code).toBe("NOT_FOUND");
      expect(refused.message).toBe(`there is no folder ${folder} to download into`);
    }
  });

  it("given a hash and an output file, then no listing is needed; a path or a folder needs one", () => {
    const file = { kind: "file", path: "/x" } as const;
    const folder = { kind: "folder", dir: "/d" } as const;
    expect(needsListing({ hash: HASH }, file)).toBe(false);
    expect(needsListing({ path: "/a" }, file)).toBe(true);
    expect(needsListing({ hash: HASH }, folder)).toBe(true);
  });

  it("given a folder, then the file keeps the last part of its catalog path there", () => {
    const folder = { kind: "folder", dir: "/home/bob/films" } as const;
    expect(targetPath(folder, entry("/season 1/episode 1.mkv"), "movies")).toBe("/home/bob/films/episode 1.mkv");
    expect(targetPath({ kind: "file", path: "/tmp/out" }, undefined, "movies")).toBe("/tmp/out");
  });

  it("given a name the owner chose to hide a file or leave the folder, then natster refuses to write it on the owner's word", () => {
    for (const path of ["/.bashrc", "/films/..", "/", "/a\\..\\b", "/bell\u0007", "/del\u007f"]) {
      const refused = refusal(() => fileNameFor(entry(path), "movies"));
      expect(refused.code, path).toBe("BAD_REQUEST");
      expect(refused.message, path).toContain(
        `give the output file, e.g. natster catalog download movies ${HASH} ./file`,
      );
    }
  });
});
