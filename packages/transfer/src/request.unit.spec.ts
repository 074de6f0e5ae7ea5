import { createCurve } from "@nats-io/nkeys";
import {
  DEFAULT_CHUNK_SIZE,
  DEFAULT_CREDIT,
  MAX_CHUNK_SIZE,
  MAX_CREDIT,
  MIN_CHUNK_SIZE,
  type DownloadRequest,
} from "@natster/protocol";
import { describe, expect, it } from "vitest";
import { encodeJson } from "./bytes.ts";
import { decodeDownloadRequest, planTransfer } from "./request.ts";

const valid = (): DownloadRequest => ({
  version: 2,
  hash: "a".repeat(64),
  receiver_xkey: createCurve().getPublicKey(),
  transfer_id: "0123456789abcdef0123456789abcdef",
});
const decode = (body: unknown) =>
  decodeDownloadRequest(typeof body === "string" ? new TextEncoder().encode(body) : encodeJson(body));
const withCode = (code: string) => expect.objectContaining({ code }) as Error;

describe("download request decoding", () => {
  it("given a minimal v2 request, then it decodes to exactly its fields", () => {
    const request = valid();
    expect(decode(request)).toEqual(request);
  });

  it("given sender_digest true, then it is kept; given false, then it is left out", () => {
    const request = valid();
    expect(decode({ ...request, sender_digest: true })).toEqual({ ...request, sender_digest: true });
    expect(decode({ ...request, sender_digest: false })).toEqual(request);
  });

  it("given bytes that are not JSON, then BAD_JSON", () => {
    expect(() => decode("{nope")).toThrow(withCode("BAD_JSON"));
  });

  it.each<[string, unknown]>([
    ["an array", []],
    ["upstream's v1 shape", { hash: "a".repeat(64), transcode: false, target_xkey: createCurve().getPublicKey() }],
    ["version 3", { ...valid(), version: 3 }],
    ["an uppercase hash", { ...valid(), hash: "A".repeat(64) }],
    ["a short transfer id", { ...valid(), transfer_id: "abc" }],
    ["a subject-breaking transfer id", { ...valid(), transfer_id: "0123456789abcdef0123456789abcde>" }],
    ["an account key as xkey", { ...valid(), receiver_xkey: "A".repeat(56) }],
    ["a negative offset", { ...valid(), offset: -1 }],
    ["a fractional length", { ...valid(), length: 1.5 }],
    ["a string chunk size", { ...valid(), chunk_size: "65536" }],
    ["zero credit", { ...valid(), credit: 0 }],
    ["an unknown cipher", { ...valid(), cipher: "rot13" }],
    ["a sender_digest that is not a boolean", { ...valid(), sender_digest: "yes" }],
  ])("given %s, then BAD_REQUEST", (_what, body) => {
    expect(() => decode(body)).toThrow(withCode("BAD_REQUEST"));
  });
});

describe("planning a transfer against the file and the server policy", () => {
  it("given no range, then the whole file is sent with default chunk size, credit and AES-GCM", () => {
    expect(planTransfer(valid(), 1_000_000)).toMatchObject({
      offset: 0,
      length: 1_000_000,
      chunkSize: DEFAULT_CHUNK_SIZE,
      credit: DEFAULT_CREDIT,
      cipher: "aes-256-gcm",
      totalChunks: Math.ceil(1_000_000 / DEFAULT_CHUNK_SIZE),
    });
  });

  it("given a zero-byte file, then one (empty, final) chunk is planned", () => {
    expect(planTransfer(valid(), 0)).toMatchObject({ offset: 0, length: 0, totalChunks: 1 });
  });

  it("given a resume offset at the very end, then the remaining length is 0", () => {
    expect(planTransfer({ ...valid(), offset: 500 }, 500)).toMatchObject({ offset: 500, length: 0, totalChunks: 1 });
  });

  it("given ranges past the end of the file, then RANGE_NOT_SATISFIABLE (416)", () => {
    expect(() => planTransfer({ ...valid(), offset: 501 }, 500)).toThrow(withCode("RANGE_NOT_SATISFIABLE"));
    expect(() => planTransfer({ ...valid(), offset: 400, length: 101 }, 500)).toThrow(
      withCode("RANGE_NOT_SATISFIABLE"),
    );
  });

  it("given a range beyond 4 GiB in a 5 GiB file, then it is planned exactly", () => {
    const fiveGiB = 5 * 2 ** 30;
    expect(
      planTransfer({ ...valid(), offset: 2 ** 32 + 7, length: 3 * 2 ** 20, chunk_size: 65_536 }, fiveGiB),
    ).toMatchObject({
      offset: 2 ** 32 + 7,
      length: 3 * 2 ** 20,
      totalChunks: 48,
    });
  });

  it("given chunk sizes and credit outside the bounds, then they are clamped", () => {
    expect(planTransfer({ ...valid(), chunk_size: 1, credit: 10_000 }, 10)).toMatchObject({
      chunkSize: MIN_CHUNK_SIZE,
      credit: MAX_CREDIT,
    });
    expect(planTransfer({ ...valid(), chunk_size: 2 ** 30 }, 10)).toMatchObject({ chunkSize: MAX_CHUNK_SIZE });
    expect(
      planTransfer({ ...valid(), chunk_size: 1, credit: 100 }, 10, { minChunkSize: 1, maxCredit: 8 }),
    ).toMatchObject({ chunkSize: 1, credit: 8 });
  });

  it("given cipher none, then it is refused unless the server allows plaintext", () => {
    expect(() => planTransfer({ ...valid(), cipher: "none" }, 10)).toThrow(withCode("PLAINTEXT_REFUSED"));
    expect(planTransfer({ ...valid(), cipher: "none" }, 10, { allowPlaintext: true })).toMatchObject({
      cipher: "none",
    });
  });

  it("given sender_digest for the whole file, encrypted, then the plan hashes it; without it, then it does not", () => {
    expect(planTransfer({ ...valid(), sender_digest: true }, 500)).toMatchObject({ senderDigest: true, length: 500 });
    expect(planTransfer({ ...valid(), sender_digest: true, length: 500 }, 500)).toMatchObject({ senderDigest: true });
    expect(planTransfer(valid(), 500)).toMatchObject({ senderDigest: false });
  });

  it.each<[string, Partial<DownloadRequest>]>([
    ["a resume offset", { offset: 100 }],
    ["a range shorter than the file", { length: 499 }],
    ["plaintext, which no tag authenticates", { cipher: "none" }],
  ])("given sender_digest with %s, then BAD_REQUEST", (_what, extra) => {
    expect(() => planTransfer({ ...valid(), sender_digest: true, ...extra }, 500, { allowPlaintext: true })).toThrow(
      withCode("BAD_REQUEST"),
    );
  });
});
