import { fail, ok, type Envelope } from "@natster/protocol";
import { parsePageRequest, summarizePage, type CatalogFile, type CatalogSummary } from "@natster/catalog";
import { encodeJson, failureOf } from "@natster/node-kit";

const dec = new TextDecoder();

/**
 * `…catalog.<name>.get`: one page of the catalog. A page whose reply would exceed the
 * connection's max payload is refused with PAYLOAD_TOO_LARGE so the client asks for smaller pages.
 */
export function handleGet(
  catalog: CatalogFile,
  body: Uint8Array,
  maxPayload: number,
): { envelope: Envelope<CatalogSummary>; bytes: Uint8Array } {
  let envelope: Envelope<CatalogSummary>;
  try {
    envelope = ok(summarizePage(catalog, parsePageRequest(dec.decode(body))));
  } catch (e) {
    envelope = failureOf(e);
  }
  const bytes = encodeJson(envelope);
  if (bytes.length <= maxPayload) return { envelope, bytes };
  const tooLarge = fail(
    413,
    "PAYLOAD_TOO_LARGE",
    `this page is ${bytes.length} bytes, over the ${maxPayload}-byte limit: ask with a smaller page_size`,
  );
  return { envelope: tooLarge, bytes: encodeJson(tooLarge) };
}
