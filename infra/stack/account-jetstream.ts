import { JetStreamApiError, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { setTimeout as sleep } from "node:timers/promises";
import { StackError } from "./stack-error.ts";

/** JetStream's "not enabled for account" (10039): the account's JWT arrived, its JetStream is not on yet. */
const NOT_ENABLED_FOR_ACCOUNT = 10039;

/** nats.js throws JetStreamNotEnabled whose cause is the API's error. */
const notEnabledYet = (e: unknown): boolean =>
  e instanceof Error &&
  (e.name === "JetStreamNotEnabled" ||
    [e, e.cause].some((c) => c instanceof JetStreamApiError && c.code === NOT_ENABLED_FOR_ACCOUNT));

/**
 * Resolves once the connection's account answers JetStream's account info. A clustered server turns
 * on an account's JetStream a moment after the account's JWT is pushed (later still when the JWT came
 * before the meta group was complete), and any stream or bucket asked for in between is refused.
 */
export async function waitForAccountJetStream(nc: NatsConnection, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await jetstreamManager(nc);
      return;
    } catch (e) {
      if (!notEnabledYet(e)) throw e;
      if (Date.now() > deadline)
        throw new StackError("START_FAILED", `JetStream was not enabled for the account within ${timeoutMs} ms`);
    }
    await sleep(100);
  }
}
