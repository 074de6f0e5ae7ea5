import { describe, expect, it } from "vitest";
import { isContextName } from "@natster/protocol";
import { isSeedFileName, modeFixes } from "./home-modes.ts";

describe("home modes", () => {
  it("given a world-readable home and key folder, then both become 0700", () => {
    expect(
      modeFixes([
        { path: "/h", kind: "dir", mode: 0o40755, holdsKeys: true },
        { path: "/h/keys", kind: "dir", mode: 0o40750, holdsKeys: true },
      ]),
    ).toEqual([
      { path: "/h", from: 0o755, to: 0o700 },
      { path: "/h/keys", from: 0o750, to: 0o700 },
    ]);
  });

  it("given a seed file readable by the group or others, then it becomes 0600", () => {
    expect(modeFixes([{ path: "/h/default.creds", kind: "file", mode: 0o100644, holdsKeys: true }])).toEqual([
      { path: "/h/default.creds", from: 0o644, to: 0o600 },
    ]);
  });

  it("given private modes already, then nothing is fixed", () => {
    expect(
      modeFixes([
        { path: "/h", kind: "dir", mode: 0o40700, holdsKeys: true },
        { path: "/h/keys/default/account.nk", kind: "file", mode: 0o100600, holdsKeys: true },
        { path: "/h/keys/default/ro.nk", kind: "file", mode: 0o100400, holdsKeys: true },
      ]),
    ).toEqual([]);
  });

  it("given a file that holds no key, then its mode is left alone", () => {
    expect(modeFixes([{ path: "/h/default.context", kind: "file", mode: 0o100644, holdsKeys: false }])).toEqual([]);
  });

  it("knows seed files by their names", () => {
    expect(["account.nk", "publisher.xk", "default.creds", "default.logins.json"].every(isSeedFileName)).toBe(true);
    expect(["default.context", "stack-client.json", "films.catalog.json"].some(isSeedFileName)).toBe(false);
  });

  it("accepts only plain context names", () => {
    expect(["default", "work", "bob-2", "a_b"].every(isContextName)).toBe(true);
    expect(["", "../x", "a/b", "/etc/passwd", ".hidden", "a b", "x".repeat(65), "-x"].some(isContextName)).toBe(false);
  });
});
