import { describe, expect, it } from "vitest";
import { NatsterError } from "./errors.ts";
import { notSharedError } from "./not-shared.ts";

describe("notSharedError", () => {
  it("given the catalog server's bare 'Forbidden', then the error names the catalog and nothing else", () => {
    const error = notSharedError("movies", "Forbidden");
    expect(error).toBeInstanceOf(NatsterError);
    expect(error.code).toBe("FORBIDDEN");
    expect(error.message).toBe("catalog 'movies' is not shared with you (any more)");
  });

  it("given a reason that says more, then it follows the catalog's name", () => {
    expect(notSharedError("movies", "rate of requests exceeded").message).toBe(
      "catalog 'movies' is not shared with you (any more): rate of requests exceeded",
    );
  });
});
