import type { Bench } from "./lib/types.ts";
import { fnBench } from "./fn.ts";
import { hashBench } from "./hash.ts";
import { transferBench } from "./transfer.ts";
import { upstreamBench } from "./transfer-upstream.ts";

/** Every benchmark, in the order a run takes them. */
export const BENCHES: readonly Bench[] = [hashBench, transferBench, upstreamBench, fnBench];
