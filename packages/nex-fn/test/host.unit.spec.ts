import { afterEach, describe, expect, it } from "vitest";
import { host, kvJson } from "../src/index.ts";
import { installNex02, installNex03 } from "./fake-host.ts";
import type { FakeHost } from "./fake-host.ts";

let fake: FakeHost | undefined;
afterEach(() => fake?.restore());

describe("host", () => {
  it("given no host globals, when resolved, then it throws a clear error", () => {
    expect(() => host()).toThrow("nex-fn: not running under Nex");
  });

  it("given the Nex 0.3 globals, when resolved, then kv(bucket) reaches that bucket", () => {
    fake = installNex03();
    host()
      .kv("counters")
      .set("a", new Uint8Array([0x31]));
    expect(fake.buckets.get("counters")?.get("a")).toEqual(new Uint8Array([0x31]));
    expect(host().http.get("http://127.0.0.1/").response).toBe("get");
  });

  it("given the Nex 0.2 hostServices, when resolved, then the bucket argument is ignored", () => {
    fake = installNex02();
    host()
      .kv("whatever")
      .set("a", new Uint8Array([0x31]));
    expect(fake.buckets.get("hs_ns_fn_kv")?.get("a")).toEqual(new Uint8Array([0x31]));
    expect(fake.buckets.has("whatever")).toBe(false);
  });

  it("given the Nex 0.2 hostServices, when the JSON helpers are used, then they work unchanged", () => {
    fake = installNex02();
    kvJson("ignored").put("k", { n: 1 });
    expect(kvJson("ignored").get("k")).toEqual({ n: 1 });
    expect(kvJson("ignored").get("missing")).toBeUndefined();
    host().messaging.publish("x", new Uint8Array([0x7b, 0x7d]));
    expect(fake.published).toHaveLength(1);
  });

  it("given the globals are removed, when resolved again, then nothing was cached", () => {
    installNex03().restore();
    expect(() => host()).toThrow(/not running under Nex/);
  });
});
