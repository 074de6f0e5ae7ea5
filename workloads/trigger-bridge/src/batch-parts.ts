import type { TriggerPartReply } from "@natster/protocol";
import type { PlannedCall } from "./batches.ts";

const errorReply = (error: string) => JSON.stringify({ error } satisfies TriggerPartReply);

/**
 * The later parts of the calls in flight (PlannedCall.parts), which their functions fetch from
 * the reads subject with TriggerPartRequests: held while the batch is being applied.
 */
export class BatchParts {
  readonly #bodies = new Map<string, readonly string[]>();

  /** Holds the parts of `calls` until the returned function is called. */
  hold(calls: readonly PlannedCall[]): () => void {
    const held = calls.flatMap((c) => (c.parts ? [c.parts] : []));
    for (const p of held) this.#bodies.set(p.batch, p.bodies);
    return () => {
      for (const p of held) this.#bodies.delete(p.batch);
    };
  }

  /** The reply to a TriggerPartRequest: the part's CompactTriggerPart JSON, or why not. */
  answer(batch: unknown, part: unknown): string {
    const bodies = typeof batch === "string" ? this.#bodies.get(batch) : undefined;
    if (!bodies) return errorReply(`no call ${JSON.stringify(batch)?.slice(0, 40)} is in flight`);
    if (typeof part !== "number" || !Number.isInteger(part) || part < 1 || part > bodies.length)
      return errorReply(`part must be 1 to ${bodies.length}`);
    return bodies[part - 1] as string;
  }
}
