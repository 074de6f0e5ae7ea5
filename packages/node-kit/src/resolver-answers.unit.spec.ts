import { describe, expect, it } from "vitest";
import { newestAccountJwt } from "./resolver-answers.ts";

const jwt = (iat: number, name = "a") =>
  `eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.${Buffer.from(JSON.stringify({ iat, name })).toString("base64url")}.c2ln`;

describe("newestAccountJwt: the answer a lookup keeps of every server's", () => {
  it("given one server's JWT, when read, then it is the answer", () => {
    expect(newestAccountJwt([jwt(10)])).toBe(jwt(10));
  });

  it("given a server that answers empty and one that holds the JWT, when read, then the JWT is the answer", () => {
    expect(newestAccountJwt(["", jwt(10), ""])).toBe(jwt(10));
  });

  it("given a server still holding an older JWT, when read, then the newest issued is the answer, whatever the order", () => {
    expect(newestAccountJwt([jwt(10, "old"), jwt(12, "new"), jwt(11, "mid")])).toBe(jwt(12, "new"));
    expect(newestAccountJwt([jwt(12, "new"), jwt(10, "old")])).toBe(jwt(12, "new"));
  });

  it("given only empty or unreadable answers, when read, then the account is unknown", () => {
    expect(newestAccountJwt([])).toBeUndefined();
    expect(newestAccountJwt(["", "  ", "not a jwt", "eyJ.bm90IGpzb24.x", "eyJhIjoxfQ"])).toBeUndefined();
  });

  it("given surrounding whitespace, when read, then the JWT comes back trimmed", () => {
    expect(newestAccountJwt([` ${jwt(3)}\n`])).toBe(jwt(3));
  });
});
