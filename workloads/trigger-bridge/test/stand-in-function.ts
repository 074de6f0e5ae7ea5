import type { Msg, NatsConnection, Subscription } from "@nats-io/nats-core";
import {
  triggerBatchEvents,
  type JetStreamTriggerBatch,
  type JetStreamTriggerEvent,
  type TriggerPartReply,
} from "@natster/protocol";
import { until } from "@natster/test-kit";

/** How the stand-in answers one call: apply it, or fail in one of the ways a real function can. */
export type Answer = "ok" | "fail" | "refuse" | "garbage" | "silent";
export type Behaviour = (event: JetStreamTriggerEvent, call: number) => Answer;
export type StandInOptions = {
  /** Decides each answer; `call` counts from 1. Applies everything by default. */
  behaviour?: Behaviour;
  /** Answers this much later, like a function doing real work. */
  replyDelayMs?: number;
};

/**
 * Plays a Nex function on its trigger subject (the real functions come later). Its state is a
 * projection kept idempotent by stream sequence, like the real ones: a redelivered event is a no-op.
 */
export class StandInFunction {
  /** Events in the order they changed the state: each sequence at most once. */
  readonly applied: JetStreamTriggerEvent[] = [];
  /** Every call, duplicates and failures included (each event of a batch counts as one). */
  readonly calls: JetStreamTriggerEvent[] = [];
  /** Batched triggers: the sequences of each call, its `through`, and how many parts it fetched (`more`). */
  readonly batches: { seqs: number[]; through: number; parts: number }[] = [];
  private readonly seen = new Set<number>();
  private sub: Subscription | undefined;

  constructor(
    private readonly nc: NatsConnection,
    readonly subject: string,
    private readonly options: StandInOptions = {},
  ) {}

  /** Subscribes, and returns once the server knows (so "no responders" is over). */
  async start(): Promise<this> {
    this.sub = this.nc.subscribe(this.subject, { callback: (_err, msg) => this.onCall(msg) });
    await this.nc.flush();
    return this;
  }

  async stop(): Promise<void> {
    this.sub?.unsubscribe();
    this.sub = undefined;
    await this.nc.flush();
  }

  appliedSeqs(): number[] {
    return this.applied.map((e) => e.seq);
  }

  callsFor(seq: number): JetStreamTriggerEvent[] {
    return this.calls.filter((e) => e.seq === seq);
  }

  async waitForApplied(count: number, timeoutMs = 15_000): Promise<void> {
    await until(
      () => this.applied.length >= count,
      () => `${this.subject}: ${this.applied.length}/${count} events applied, ${this.calls.length} calls`,
      timeoutMs,
    );
  }

  /** The events of a call: a lone event, or a batch with the rows of its later parts, fetched from `reads` as a function does. */
  private async eventsOf(body: JetStreamTriggerEvent | JetStreamTriggerBatch): Promise<JetStreamTriggerEvent[]> {
    if (!("through" in body)) return [body];
    const events = triggerBatchEvents(body);
    const more = "more" in body ? body.more : undefined;
    for (let part = 1; more && body.reads && part <= more.parts; part++) {
      const reply = await this.nc.request(body.reads, JSON.stringify({ batch: more.batch, part }));
      const fetched = reply.json<TriggerPartReply>();
      if ("error" in fetched) throw new Error(fetched.error);
      events.push(...triggerBatchEvents({ stream: body.stream, through: body.through, ...fetched }));
    }
    this.batches.push({ seqs: events.map((e) => e.seq), through: body.through, parts: more?.parts ?? 0 });
    return events;
  }

  private onCall(msg: Msg): void {
    void this.eventsOf(msg.json<JetStreamTriggerEvent | JetStreamTriggerBatch>()).then(
      (events) => this.answer(msg, events),
      () => msg.respond('{"ok":false,"error":"stand-in could not fetch a part"}'),
    );
  }

  private answer(msg: Msg, events: JetStreamTriggerEvent[]): void {
    this.calls.push(...events);
    // A batch is answered as its worst event would be answered alone.
    const answers = events.map((event) => this.options.behaviour?.(event, this.calls.length) ?? "ok");
    const answer = (["silent", "garbage", "refuse", "fail"] as const).find((a) => answers.includes(a)) ?? "ok";
    for (const event of answer === "ok" ? events : []) {
      if (this.seen.has(event.seq)) continue;
      this.seen.add(event.seq);
      this.applied.push(event);
    }
    const replies: Record<Exclude<Answer, "silent">, string> = {
      ok: '{"ok":true}',
      fail: '{"ok":false,"error":"stand-in says no"}',
      refuse: '{"ok":false,"error":"stand-in refuses this event","retry":false}',
      garbage: "<not json>",
    };
    if (answer === "silent") return;
    const delay = this.options.replyDelayMs ?? 0;
    if (delay > 0) setTimeout(() => msg.respond(replies[answer]), delay);
    else msg.respond(replies[answer]);
  }
}
