import { headers } from "@nats-io/nats-core";
import {
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
} from "@nats-io/jetstream";
import { DEAD_LETTER_STREAM, deadLetterSubject, type JetStreamTriggerEvent } from "@natster/protocol";

/** Headers on a parked event: where it came from and why it was given up on. */
export const DEAD_LETTER_HEADERS = {
  stream: "Natster-Stream",
  seq: "Natster-Seq",
  subject: "Natster-Subject",
  delivery: "Natster-Delivery",
  error: "Natster-Error",
  durable: "Natster-Durable",
  trigger: "Natster-Trigger",
} as const;

export type ParkRequest = { durable: string; triggerSubject: string; event: JetStreamTriggerEvent; error: string };

/** The dead-letter stream: parked events, kept (limits retention) for an operator to inspect or replay. */
export class DeadLetters {
  private ready: Promise<void> | undefined;

  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
  ) {}

  /** Creates the stream if missing; a failed attempt is retried on the next call. */
  ensureStream(): Promise<void> {
    this.ready ??= this.createIfMissing().catch((e: unknown) => {
      this.ready = undefined;
      throw e;
    });
    return this.ready;
  }

  /** Publishes the event with its history; the body is the event exactly as the function would get it. */
  async park({ durable, triggerSubject, event, error }: ParkRequest): Promise<void> {
    await this.ensureStream();
    const h = headers();
    h.set(DEAD_LETTER_HEADERS.stream, event.stream);
    h.set(DEAD_LETTER_HEADERS.seq, String(event.seq));
    h.set(DEAD_LETTER_HEADERS.subject, event.subject);
    h.set(DEAD_LETTER_HEADERS.delivery, String(event.delivery));
    h.set(DEAD_LETTER_HEADERS.error, asciiHeaderValue(error));
    h.set(DEAD_LETTER_HEADERS.durable, durable);
    h.set(DEAD_LETTER_HEADERS.trigger, triggerSubject);
    // Same msg id for the same event: parking twice (a crash before the ack) stores it once.
    const msgID = `${durable}:${triggerSubject}:${event.stream}:${event.seq}`;
    await this.js.publish(deadLetterSubject(durable), JSON.stringify(event), {
      headers: h,
      msgID,
      expect: { streamName: DEAD_LETTER_STREAM },
    });
  }

  private async createIfMissing(): Promise<void> {
    try {
      await this.jsm.streams.info(DEAD_LETTER_STREAM);
      return;
    } catch (e) {
      if (!(e instanceof JetStreamApiError && e.code === JetStreamApiCodes.StreamNotFound)) throw e;
    }
    try {
      await this.jsm.streams.add({
        name: DEAD_LETTER_STREAM,
        description: "Natster trigger bridge: events a function could not take",
        subjects: [deadLetterSubject(">")],
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
      });
    } catch (e) {
      // Another bridge may have created it between our info and add.
      await this.jsm.streams.info(DEAD_LETTER_STREAM).catch(() => Promise.reject(e as Error));
    }
  }
}

function asciiHeaderValue(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, "?");
}
