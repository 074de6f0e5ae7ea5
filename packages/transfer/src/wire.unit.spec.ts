import type { Msg } from "@nats-io/nats-core";
import { NatsterError } from "@natster/protocol";
import { describe, expect, it } from "vitest";
import { encodeJson } from "./bytes.ts";
import {
  chunkHeaders,
  decodeCredit,
  errorMessage,
  readChunkHeaders,
  readErrorMessage,
  senderCreditSubject,
  senderMediaSubject,
} from "./wire.ts";

const id = "0123456789abcdef0123456789abcdef";
const msgOf = (data: Uint8Array, headers: Msg["headers"]): Msg => ({ data, headers }) as Msg;

describe("transfer wire helpers", () => {
  it("given a remote requester, then media goes to its account and credit is heard from any account (checked later)", () => {
    expect(senderMediaSubject("AREQ", "movies", id)).toBe(`AREQ.natster.media.movies.${id}`);
    expect(senderCreditSubject("AREQ", "movies", id)).toBe(`*.natster.catalog.movies.credit.${id}`);
    expect(senderMediaSubject(undefined, "movies", id)).toBe(`natster.media.movies.${id}`);
    expect(senderCreditSubject(undefined, "movies", id)).toBe(`natster.catalog.movies.credit.${id}`);
  });

  it("given chunk headers, then they read back; final only on the last chunk", () => {
    expect(readChunkHeaders(msgOf(new Uint8Array(), chunkHeaders(id, 2 ** 33, true)))).toEqual({
      transferId: id,
      index: 2 ** 33,
      final: true,
    });
    expect(readChunkHeaders(msgOf(new Uint8Array(), chunkHeaders(id, 0, false)))).toEqual({
      transferId: id,
      index: 0,
      final: false,
    });
    expect(readChunkHeaders(msgOf(new Uint8Array(), undefined))).toEqual({
      transferId: undefined,
      index: undefined,
      final: false,
    });
  });

  it("given a sender error, then the receiver reads the same code and message", () => {
    const { payload, headers } = errorMessage(id, new NatsterError("FORBIDDEN", "revoked"));
    expect(readErrorMessage(msgOf(payload, headers))).toEqual(
      expect.objectContaining({ code: "FORBIDDEN", message: "revoked" }),
    );
    expect(readErrorMessage(msgOf(new Uint8Array(), chunkHeaders(id, 0, true)))).toBeUndefined();
  });

  it("given credit messages, then only well-formed ones for this transfer count", () => {
    expect(decodeCredit(encodeJson({ transfer_id: id, received: 3, credit: 8 }), id)).toEqual({
      transfer_id: id,
      received: 3,
      credit: 8,
      cancel: false,
    });
    expect(decodeCredit(encodeJson({ transfer_id: id, received: 0, credit: 0, cancel: true }), id)?.cancel).toBe(true);
    expect(decodeCredit(encodeJson({ transfer_id: "other", received: 3, credit: 8 }), id)).toBeUndefined();
    expect(decodeCredit(encodeJson({ transfer_id: id, received: "3", credit: 8 }), id)).toBeUndefined();
    expect(decodeCredit(new TextEncoder().encode("{"), id)).toBeUndefined();
  });
});
