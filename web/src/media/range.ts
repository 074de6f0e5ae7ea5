/** HTTP Range handling for the media bridge (RFC 9110 §14), one range at a time as media elements ask. */

export type RangeDecision =
  | { status: 200; start: number; end: number }
  | { status: 206; start: number; end: number }
  | { status: 416 };

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

/**
 * What to answer for a `Range` header on a file of `size` bytes. Anything we do not serve as a
 * single range (no header, other units, several ranges, bad syntax) gets the whole file, which
 * the spec allows. `end` is inclusive; an empty file has end = -1.
 */
export function decideRange(header: string | null | undefined, size: number): RangeDecision {
  const whole = { status: 200 as const, start: 0, end: size - 1 };
  const match = SINGLE_RANGE.exec((header ?? "").trim().toLowerCase());
  if (!match) return whole;
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return whole;
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { status: 416 };
    return { status: 206, start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  if (!Number.isSafeInteger(start) || start >= size) return { status: 416 };
  if (last !== "" && Number(last) < start) return whole;
  return { status: 206, start, end };
}

/** The transfer to run for a decision: offset and length of the bytes to send. */
export function transferSpan(decision: RangeDecision): { offset: number; length: number } {
  if (decision.status === 416) return { offset: 0, length: 0 };
  return { offset: decision.start, length: Math.max(0, decision.end - decision.start + 1) };
}

/** Response headers for a decision, as a list the service worker hands to `new Response`. */
export function rangeHeaders(decision: RangeDecision, size: number, mime: string): [string, string][] {
  const common: [string, string][] = [
    ["Accept-Ranges", "bytes"],
    ["Cache-Control", "no-store"],
  ];
  if (decision.status === 416) return [...common, ["Content-Range", `bytes */${size}`], ["Content-Length", "0"]];
  const { length } = transferSpan(decision);
  const headers: [string, string][] = [...common, ["Content-Type", mime], ["Content-Length", String(length)]];
  if (decision.status === 206) headers.push(["Content-Range", `bytes ${decision.start}-${decision.end}/${size}`]);
  return headers;
}
