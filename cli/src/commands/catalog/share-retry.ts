import { NatsterError } from "@natster/protocol";

/** Waits before asking again after a failure whose outcome is unknown (a stream electing a leader takes 1–3 s). */
export const SHARE_RETRY_DELAYS_MS: readonly number[] = [250, 500, 1000, 2000, 4000];

/**
 * An `events.put` that failed this way may or may not have reached the log: the function's append
 * failed (INTERNAL, e.g. while the log's stream elects a new leader) or its answer never came (TIMEOUT).
 * Asking again is safe: a share or an unshare states what should be true, and once one has landed a
 * repeat is refused (DUPLICATE, NOT_FOUND) instead of recorded twice.
 */
export function isUncertainPutFailure(error: unknown): error is NatsterError {
  return error instanceof NatsterError && (error.code === "INTERNAL" || error.code === "TIMEOUT");
}

/**
 * The refusal a repeat gets when what was asked is already true: the catalog is shared (share) or
 * not shared (unshare), most likely because the attempt whose answer was lost landed after all.
 */
export function alreadyTrue(verb: "share" | "unshare", error: unknown): boolean {
  const code = verb === "share" ? "DUPLICATE" : "NOT_FOUND";
  return error instanceof NatsterError && error.code === code;
}

export type PutOutcome<T> = { kind: "stored"; reply: T } | { kind: "already-true" };

/**
 * Appends through `put`, asking again after each uncertain failure (waiting `delays` in turn), and
 * recognising, after such a failure, a refusal that only says the change is already true. Any other error,
 * or the last uncertain one, is thrown as it came.
 */
export async function putWithRetry<T>(
  verb: "share" | "unshare",
  put: () => Promise<T>,
  wait: (ms: number) => Promise<void>,
  onRetry: (error: NatsterError, delayMs: number) => void = () => undefined,
  delays: readonly number[] = SHARE_RETRY_DELAYS_MS,
): Promise<PutOutcome<T>> {
  for (let attempt = 0; ; attempt++) {
    try {
      return { kind: "stored", reply: await put() };
    } catch (error) {
      if (attempt > 0 && alreadyTrue(verb, error)) return { kind: "already-true" };
      const delayMs = delays[attempt];
      if (!isUncertainPutFailure(error) || delayMs === undefined) throw error;
      onRetry(error, delayMs);
      await wait(delayMs);
    }
  }
}
