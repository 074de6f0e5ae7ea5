import { NONE, isCatalogName, normalizeCatalogName } from "@natster/protocol";
import { text } from "nex-fn";
import { reject } from "./rejection.ts";

export type JsonObject = Record<string, unknown>;

export function parseJsonText(json: string, what = "the payload"): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return reject("BAD_JSON", `${what} is not valid JSON`);
  }
}

export const parseJson = (payload: ArrayLike<number>): unknown => parseJsonText(text(payload));

export function asObject(value: unknown, what = "the request"): JsonObject {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    reject("BAD_REQUEST", `${what} must be a JSON object`);
  return value as JsonObject;
}

export const parseObject = (payload: ArrayLike<number>): JsonObject => asObject(parseJson(payload));

/** A required string field; missing and wrong-typed fields are 400 BAD_REQUEST. */
export function stringField(body: JsonObject, name: string): string {
  const value = body[name];
  if (value === undefined || value === null) reject("BAD_REQUEST", `${name} is required`);
  if (typeof value !== "string") reject("BAD_REQUEST", `${name} must be a string`);
  return value;
}

/** A catalog name in its normal (lower-case) form; `none` is the subject placeholder, never a name. */
export function catalogName(value: string): string {
  const shown = value.slice(0, 80);
  if (!isCatalogName(value)) reject("BAD_CATALOG_NAME", `catalog names are 1-64 letters and digits, not '${shown}'`);
  const name = normalizeCatalogName(value);
  if (name === NONE) reject("BAD_CATALOG_NAME", `'${NONE}' is reserved and cannot name a catalog`);
  return name;
}
