import { describe, expect, it } from "vitest";
import { shimBundleSize } from "../tools/size.ts";

// The Nex artifact limit is 12,288 bytes; the shim must leave most of it to the function.
const BUDGET = 3072;

describe("shim size", () => {
  it(`given the whole public API, when bundled and minified, then it stays under ${BUDGET} bytes`, async () => {
    const bytes = await shimBundleSize();
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(BUDGET);
  });
});
