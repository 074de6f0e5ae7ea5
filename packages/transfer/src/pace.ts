import { NatsterError } from "@natster/protocol";

const UNITS: Record<string, number> = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/** `--limit-rate` as curl spells it: bytes per second, with an optional K, M or G suffix (powers of 1024). */
export function parseRate(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMG]?)$/i.exec(text.trim());
  const rate = m ? Number(m[1]) * (UNITS[(m[2] ?? "").toUpperCase()] ?? 1) : NaN;
  if (!Number.isFinite(rate) || rate < 1)
    throw new NatsterError("BAD_REQUEST", `'${text}' is not a rate: give bytes per second, e.g. 500K or 2M`);
  return Math.floor(rate);
}

/** How long to wait before taking the next chunk so that `bytes` since `startedAt` stay within `rate` per second. */
export function paceDelayMs(bytes: number, rate: number, startedAt: number, now: number): number {
  return Math.max(0, startedAt + (bytes * 1000) / rate - now);
}
