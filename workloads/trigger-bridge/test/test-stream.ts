import {
  jetstream,
  jetstreamManager,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
} from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { DEAD_LETTER_STREAM, deadLetterSubject, type JetStreamTriggerSpec } from "@natster/protocol";
import type { StoredMsg } from "@nats-io/jetstream";

export type TestStream = {
  name: string;
  /** `test.<tag>.events`: events go under it. */
  prefix: string;
  /** Publishes `count` events `{n}` on `<prefix>.item` (or the given subjects), one after the other: seq follows n. */
  publish(count: number, from?: number): Promise<void>;
  publishOn(subjects: string[]): Promise<void>;
  spec(durable: string, overrides?: Partial<JetStreamTriggerSpec>): JetStreamTriggerSpec;
};

/** A fresh stream `TEST_EVENTS_<TAG>` on subjects `test.<tag>.events.>` in the connection's account. */
export async function createTestStream(nc: NatsConnection, tag: string): Promise<TestStream> {
  const name = `TEST_EVENTS_${tag.toUpperCase()}`;
  const prefix = `test.${tag}.events`;
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({
    name,
    subjects: [`${prefix}.>`],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
  });
  const js = jetstream(nc);
  const publishOn = async (subjects: string[]) => {
    for (const [i, subject] of subjects.entries()) await js.publish(subject, JSON.stringify({ n: i + 1 }));
  };
  return {
    name,
    prefix,
    publishOn,
    async publish(count, from = 1) {
      for (let n = from; n < from + count; n++) await js.publish(`${prefix}.item`, JSON.stringify({ n }));
    },
    spec: (durable, overrides = {}) => ({
      trigger_subject: `fn.${tag}.${durable}`,
      stream: name,
      durable,
      filter_subjects: [`${prefix}.>`],
      backoff_ms: [20, 40, 80],
      ...overrides,
    }),
  };
}

/** The events parked for `durable`, oldest first. */
export async function deadLettersOf(nc: NatsConnection, durable: string): Promise<StoredMsg[]> {
  const jsm = await jetstreamManager(nc);
  const subject = deadLetterSubject(durable);
  const info = await jsm.streams.info(DEAD_LETTER_STREAM, { subjects_filter: subject }).catch((e: unknown) => {
    if (e instanceof JetStreamApiError && e.code === JetStreamApiCodes.StreamNotFound) return undefined;
    throw e;
  });
  const parked: StoredMsg[] = [];
  if (!info || !info.state.subjects?.[subject]) return parked;
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
    const msg = await jsm.streams.getMessage(DEAD_LETTER_STREAM, { seq });
    if (msg?.subject === subject) parked.push(msg);
  }
  return parked;
}
