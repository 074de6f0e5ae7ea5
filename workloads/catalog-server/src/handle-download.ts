import type { Msg, NatsConnection } from "@nats-io/nats-core";
import { ErrorCodes, fail, type Envelope } from "@natster/protocol";
import { verifyServable, type CatalogEntry, type ServableFile } from "@natster/catalog";
import { decodeDownloadRequest, serveDownload, type SenderTransfer, type TransferSource } from "@natster/transfer";
import { nodeChunkCipher, threadedSha256 } from "@natster/transfer/node";
import type { AuthorizedRequester } from "./authorize.ts";
import type { ShareAuthorizer } from "./authorizer.ts";
import type { CatalogState } from "./catalog-state.ts";
import { failureOf, outcomeOf, respondEnvelope } from "@natster/node-kit";

export type DownloadDeps = {
  nc: NatsConnection;
  name: string;
  state: CatalogState;
  /** Re-checks the importer's share on every credit message of its transfer. */
  authorizer: ShareAuthorizer;
  allowPlaintext: boolean;
  openSource: (realPath: string) => Promise<TransferSource>;
  /** Transfers in flight, so stop() can end them. */
  transfers: Set<SenderTransfer>;
};

const FILE_NOT_FOUND = fail(404, "NOT_FOUND", "Requested File Not Found");

/**
 * `…catalog.<name>.download` (already authorized): find the hash, make sure the file on disk still is
 * that content (never serve changed bytes under an old hash), then hand off to the v2 sender,
 * which re-checks the share on every credit message.
 */
export async function handleDownload(msg: Msg, requester: AuthorizedRequester, deps: DownloadDeps): Promise<string> {
  const remote = requester.kind === "remote" ? requester.account : undefined;
  const refuse = (envelope: Envelope<never>) => {
    respondEnvelope(msg, envelope);
    return outcomeOf(envelope);
  };
  let hash: string;
  try {
    hash = decodeDownloadRequest(msg.data).hash;
  } catch (e) {
    return refuse(failureOf(e));
  }
  const found = await findServable(deps.state, hash);
  if (!found.ok) return refuse(found.refusal);

  const source = await deps.openSource(found.file.realPath).catch(() => undefined);
  if (!source) return refuse(FILE_NOT_FOUND);
  const transfer = serveDownload({
    nc: deps.nc,
    msg,
    requester: remote,
    catalog: deps.name,
    source,
    file: { hash: found.entry.hash, mime_type: found.entry.mime_type },
    options: {
      allowPlaintext: deps.allowPlaintext,
      chunkCipher: nodeChunkCipher,
      sha256: threadedSha256,
      ...(remote ? { authorizeCredit: () => deps.authorizer.recheck(remote) } : {}),
    },
  });
  deps.transfers.add(transfer);
  const stats = await transfer.done.finally(() => deps.transfers.delete(transfer));
  const changed =
    stats.statedDigest && stats.statedDigest !== found.entry.hash
      ? ` (the file hashed to ${stats.statedDigest} as it was sent: it changed since it was catalogued, so the receiver refuses it)`
      : "";
  const detail = `${found.entry.path}: ${stats.chunks} chunks, ${stats.bytes} bytes${changed}`;
  return stats.reason === "complete"
    ? `200 sent ${detail}`
    : `transfer ${stats.reason} (${stats.error?.code ?? "no error"}) after ${detail}`;
}

type Found = { ok: true; entry: CatalogEntry; file: ServableFile } | { ok: false; refusal: Envelope<never> };

/** The first entry with this hash whose file still holds exactly that content. */
async function findServable(state: CatalogState, hash: string): Promise<Found> {
  const candidates = state.current.entries.filter((e) => e.hash === hash);
  let refusal = FILE_NOT_FOUND;
  for (const entry of candidates) {
    const check = await state.mutate((catalog) => verifyServable(catalog, entry));
    if (check.ok) return { ok: true, entry, file: check.file };
    refusal = fail(ErrorCodes[check.code], check.code, check.message);
  }
  return { ok: false, refusal };
}
