import type { Bench } from "./lib/types.ts";
import { catalogListBench } from "./catalog-list.ts";
import { fnBench } from "./fn.ts";
import { fnNodesBench } from "./fn-nodes.ts";
import { hashBench } from "./hash.ts";
import { projectionBench } from "./projection.ts";
import { serverRssBench } from "./server-rss.ts";
import { shareBench } from "./share.ts";
import { transferBench } from "./transfer.ts";
import { rawNatsBench } from "./transfer-raw-nats.ts";
import { upstreamBench } from "./transfer-upstream.ts";
import { webSeekBench } from "./web-seek.ts";
import { webDownloadBench } from "./web-download.ts";

/** Every benchmark, in the order a run takes them. */
export const BENCHES: readonly Bench[] = [
  hashBench,
  transferBench,
  rawNatsBench,
  upstreamBench,
  serverRssBench,
  catalogListBench,
  fnBench,
  shareBench,
  projectionBench,
  webSeekBench,
  webDownloadBench,
  fnNodesBench,
];
