import type { GlobalConfig, OtcGenerateReply, OtcGenerateRequest, OtcRecord } from "@natster/protocol";
import { asObject, parseJsonText, stringField } from "../../_lib/src/input.ts";
import { reject } from "../../_lib/src/rejection.ts";

/** Crockford's base32 in lower case: no i, l, o or u to misread. 32 symbols, so 5 unbiased bits a byte. */
export const CODE_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
export const CODE_LENGTH = 20;
export const MAX_SEALED_CHARS = 8192;
export const DEFAULT_WEB_URL = "http://127.0.0.1:4280";

/** A 100-bit code from CODE_LENGTH random bytes. */
export function codeFromBytes(bytes: readonly number[]): string {
  if (bytes.length !== CODE_LENGTH) throw new Error(`a code takes ${CODE_LENGTH} random bytes`);
  return bytes.map((b) => CODE_ALPHABET[b & 31]).join("");
}

export function parseGenerate(body: unknown): OtcGenerateRequest {
  const sealed = stringField(asObject(body), "sealed");
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(sealed)) reject("BAD_REQUEST", "sealed must be base64url");
  if (sealed.length > MAX_SEALED_CHARS) reject("PAYLOAD_TOO_LARGE", `sealed exceeds ${MAX_SEALED_CHARS} characters`);
  return { sealed };
}

export function generateReply(code: string, config: Pick<GlobalConfig, "otc_ttl_ms" | "web_url">): OtcGenerateReply {
  const web = (config.web_url ?? DEFAULT_WEB_URL).replace(/\/+$/, "");
  return { code, valid_minutes: config.otc_ttl_ms / 60_000, claim_url: `${web}/login/${code}` };
}

/** Only the public (web) account may redeem codes; it hands the sealed credentials to the browser. */
export function requireClaimer(caller: string, config: Pick<GlobalConfig, "public">): void {
  if (caller !== config.public) reject("FORBIDDEN", "only the Natster web account may claim login codes");
}

export function parseClaim(body: unknown): string {
  const code = stringField(asObject(body), "code").toLowerCase();
  if (code.length !== CODE_LENGTH || [...code].some((c) => !CODE_ALPHABET.includes(c))) {
    reject("BAD_REQUEST", `code must be ${CODE_LENGTH} characters of ${CODE_ALPHABET}`);
  }
  return code;
}

const notFound = (): never => reject("NOT_FOUND", "this login code does not exist, expired or was already used");

/** The stored record behind a code, if it is still claimable. */
export function claimableRecord(stored: string | undefined, nowSeconds: number, ttlMs: number): OtcRecord {
  if (stored === undefined) return notFound();
  let record: Partial<OtcRecord>;
  try {
    record = asObject(parseJsonText(stored));
  } catch {
    return notFound();
  }
  const { account, sealed, created_at } = record;
  if (typeof account !== "string" || typeof sealed !== "string" || typeof created_at !== "number") return notFound();
  if (nowSeconds > created_at + ttlMs / 1000) return notFound();
  return { account, sealed, created_at };
}

/**
 * Login codes one account may generate per window (SECURITY.md). The window is the codes' own
 * TTL, so the counter lives in the codes bucket and expires with it. Concurrent calls read and
 * write the counter without a revision check, so a burst can pass it by at most the calls in flight.
 */
export const OTC_GENERATE_PER_ACCOUNT = { max: 10, windowSeconds: 300 };
export const otcRateKey = (account: string) => `rate_${account}`;

export type OtcRate = { window_start: number; count: number };

/** Counts one generation for the account, or refuses with OTC_RATE_LIMITED. */
export function countGeneration(
  stored: OtcRate | undefined,
  nowSeconds: number,
  limit = OTC_GENERATE_PER_ACCOUNT,
): OtcRate {
  const current =
    stored &&
    typeof stored.window_start === "number" &&
    typeof stored.count === "number" &&
    nowSeconds - stored.window_start < limit.windowSeconds
      ? stored
      : { window_start: nowSeconds, count: 0 };
  if (current.count >= limit.max) {
    reject(
      "OTC_RATE_LIMITED",
      `at most ${limit.max} login codes per ${limit.windowSeconds / 60} minutes; retry in ${current.window_start + limit.windowSeconds - nowSeconds} s`,
    );
  }
  return { window_start: current.window_start, count: current.count + 1 };
}
