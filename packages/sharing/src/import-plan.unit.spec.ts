import { createAccount, createUser } from "@nats-io/nkeys";
import { describe, expect, it } from "vitest";
import { parseImportRequest } from "./import-plan.ts";

const body = (value: unknown) => new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));

describe("import request", () => {
  it("given a catalog name and an account key, then the import names the normalized catalog", () => {
    const from = createAccount().getPublicKey();
    expect(parseImportRequest(body({ catalog: "Pics", from }))).toEqual({ catalog: "pics", from });
  });

  it("given malformed bodies, then each gets its stable code", () => {
    const from = createAccount().getPublicKey();
    expect(() => parseImportRequest(body("{"))).toThrow(expect.objectContaining({ code: "BAD_JSON" }));
    expect(() => parseImportRequest(body("null"))).toThrow(expect.objectContaining({ code: "BAD_CATALOG_NAME" }));
    expect(() => parseImportRequest(body({ catalog: "../../keys", from }))).toThrow(
      expect.objectContaining({ code: "BAD_CATALOG_NAME" }),
    );
    expect(() => parseImportRequest(body({ catalog: "pics", from: createUser().getPublicKey() }))).toThrow(
      expect.objectContaining({ code: "BAD_ACCOUNT_KEY" }),
    );
  });
});
