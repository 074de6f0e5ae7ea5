import { describe, expect, it } from "vitest";
import { chooseReplicas } from "./replicas.ts";

describe("chooseReplicas: how many copies of the nonce bucket", () => {
  it("given nothing set and no event log, when chosen, then 1", () => {
    expect(chooseReplicas({}, undefined)).toBe(1);
  });

  it("given an R3 event log, when chosen, then 3 like the log", () => {
    expect(chooseReplicas({}, 3)).toBe(3);
  });

  it("given NATSTER_NONCE_REPLICAS, when chosen, then it wins over the log", () => {
    expect(chooseReplicas({ NATSTER_NONCE_REPLICAS: "3" }, 1)).toBe(3);
    expect(chooseReplicas({ NATSTER_NONCE_REPLICAS: "" }, 3)).toBe(3);
  });

  it("given a bad NATSTER_NONCE_REPLICAS, when chosen, then a clear error names the variable", () => {
    for (const bad of ["0", "6", "two", "1.5"])
      expect(() => chooseReplicas({ NATSTER_NONCE_REPLICAS: bad }, 1)).toThrow(
        /NATSTER_NONCE_REPLICAS must be a whole number from 1 to 5/,
      );
  });
});
