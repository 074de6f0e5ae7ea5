/** The pure decisions of the bridge: what to do with a message after one attempt. */

/** How one attempt to hand an event to the function ended. */
export type AttemptOutcome =
  | { kind: "applied" }
  /** The function said no, replied garbage, or did not answer in time. */
  | { kind: "failed"; error: string; retry: boolean }
  /** Nobody listens on the trigger subject: the function is not deployed (yet). */
  | { kind: "absent"; error: string };

export type Decision =
  | { action: "ack" }
  | { action: "retry"; delayMs: number; error: string }
  /** Keep the message in hand and ask again later, without spending a delivery attempt. */
  | { action: "wait"; delayMs: number; error: string }
  | { action: "park"; error: string };

export type RetryPolicy = { maxDeliver: number; backoffMs: readonly number[]; ackWaitMs: number };

/** Where a message stands: its server-side delivery count (1 on the first try) and how often we waited for an absent function. */
export type AttemptCount = { delivery: number; waits: number };

/** The delay before the next try after delivery number `delivery` (1-based) failed; the last step repeats. */
export function backoffDelay(delivery: number, backoffMs: readonly number[]): number {
  if (backoffMs.length === 0) return 0;
  const step = Math.min(Math.max(delivery, 1), backoffMs.length) - 1;
  return backoffMs[step] ?? 0;
}

export function decide(outcome: AttemptOutcome, { delivery, waits }: AttemptCount, policy: RetryPolicy): Decision {
  switch (outcome.kind) {
    case "applied":
      return { action: "ack" };
    case "absent":
      // An absent function says nothing about the event: never park it for that. Stay well inside
      // ack_wait so the server does not redeliver the message we are holding.
      return {
        action: "wait",
        delayMs: Math.min(backoffDelay(waits + 1, policy.backoffMs), Math.floor(policy.ackWaitMs / 3)),
        error: outcome.error,
      };
    case "failed":
      if (!outcome.retry || delivery >= policy.maxDeliver) return { action: "park", error: outcome.error };
      return { action: "retry", delayMs: backoffDelay(delivery, policy.backoffMs), error: outcome.error };
  }
}
