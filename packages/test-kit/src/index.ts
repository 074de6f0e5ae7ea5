export { until, notYet, type NotYet, type Probe } from "./until.ts";
export { prng, fuzzSeed } from "./prng.ts";
export { pool } from "./pool.ts";
export { range } from "./range.ts";
export { Cleanup } from "./cleanup.ts";
export { CHROMIUM, CHROMIUM_ARGS } from "./chromium.ts";
