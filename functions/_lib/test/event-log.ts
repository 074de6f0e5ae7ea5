import type { EventType, StoredEvent } from "@natster/protocol";
import { prng } from "@natster/test-kit";
import { hostThrow } from "nex-fn/testing";
import { newAccount } from "./keys.ts";
import type { StreamMessage } from "./fake-jetstream.ts";
import type { Stack } from "./stack.ts";

const T0 = Date.parse("2024-03-10T12:00:00Z");

/** A NATSTER_EVENTS message as the functions write it, with a fixed event time. */
export function logMessage(
  seq: number,
  from: string,
  to: string,
  catalog: string,
  type: EventType,
  time = new Date(T0 + seq * 1500).toISOString(),
): StreamMessage {
  const stored: StoredEvent = { id: seq.toString(16).padStart(32, "0"), time, event_type: type, data: null };
  // The stream stores it a little later than the event time: projections must use the event's.
  return {
    seq,
    subject: `natster.events.${from}.${to}.${catalog}.${type}`,
    data: new TextEncoder().encode(JSON.stringify(stored)),
    time: new Date(Date.parse(time) + 999_000).toISOString(),
  };
}

/**
 * A plausible log: inits (some repeated), shares to initialized and never-initialized accounts,
 * repeated shares, unshares of shared and unshared catalogs, self-shares, imports and bindings.
 */
export function generateLog(count: number, seed: number): { messages: StreamMessage[]; accounts: string[] } {
  const random = prng(seed);
  const accounts = Array.from({ length: 8 }, () => newAccount());
  const catalogs = ["movies", "music", "books", "photos", "hub"];
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const messages: StreamMessage[] = [];
  for (let seq = 1; seq <= count; seq++) {
    const from = pick(accounts);
    const roll = random();
    if (roll < 0.12) messages.push(logMessage(seq, from, "none", "none", "natster_initialized"));
    else if (roll < 0.6)
      messages.push(logMessage(seq, from, random() < 0.05 ? from : pick(accounts), pick(catalogs), "catalog_shared"));
    else if (roll < 0.85) messages.push(logMessage(seq, from, pick(accounts), pick(catalogs), "catalog_unshared"));
    else if (roll < 0.93) messages.push(logMessage(seq, from, pick(accounts), pick(catalogs), "catalog_imported"));
    else messages.push(logMessage(seq, from, "none", "none", "context_bound"));
  }
  return { messages, accounts };
}

/** Makes KV writes to `buckets` fail (as the host throws) whenever `shouldFail` says so. */
export function injectWriteFaults(
  stack: Stack,
  buckets: readonly string[],
  shouldFail: (bucket: string, key: string) => boolean,
): void {
  for (const name of buckets) {
    let map = stack.fake.buckets.get(name);
    if (!map) stack.fake.buckets.set(name, (map = new Map<string, Uint8Array>()));
    const set = map.set.bind(map);
    map.set = (key: string, value: Uint8Array) => {
      if (shouldFail(name, key)) hostThrow("Error: failed to put value for key (500)");
      return set(key, value);
    };
  }
}
