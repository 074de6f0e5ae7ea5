import type { NatsConnection } from "@nats-io/nats-core";
import { requestEnvelope } from "@natster/node-kit";
import { MY_SHARES, type CatalogShareSummary } from "@natster/protocol";

/** The account's shares, in and out, as the global service's projection has them (`null` means none). */
export const fetchMyShares = (nc: NatsConnection, timeoutMs = 2000): Promise<CatalogShareSummary[]> =>
  requestEnvelope<CatalogShareSummary[] | null>(nc, MY_SHARES, undefined, timeoutMs).then((s) => s ?? []);
