import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import type { JetStreamTriggerSpec } from "@natster/protocol";
import { resolveTriggerSpecs } from "./config.ts";
import { DeadLetters } from "./dead-letters.ts";
import { BatchParts } from "./batch-parts.ts";
import { startKvReads } from "./kv-reads.ts";
import { errorText } from "./reply.ts";
import { groupByDurable } from "./shared-durables.ts";
import { runTriggerLoop } from "./trigger-loop.ts";

export type TriggerBridgeOptions = {
  /** The connection to the account holding the streams and the functions; the caller closes it. */
  nc: NatsConnection;
  /**
   * A second connection to that account for what the functions ask of the bridge while they work
   * (KV reads, later parts, the bucket mirrors feeding them): on `nc` those answers queue behind
   * the stream's deliveries, thousands of messages deep in a replay. Defaults to `nc`; the caller closes it.
   */
  readsNc?: NatsConnection;
  specs: readonly JetStreamTriggerSpec[];
  /** One line per failure or park; stdout by default. */
  log?: (line: string) => void;
};

export type TriggerBridge = {
  /** Stops pulling, settles the messages in hand, and resolves once every loop has ended. */
  stop(): Promise<void>;
};

/** Runs one durable consumer and loop per durable, turning stream messages into function requests. */
export async function startTriggerBridge({
  nc,
  readsNc = nc,
  specs,
  log = defaultLog,
}: TriggerBridgeOptions): Promise<TriggerBridge> {
  const resolved = resolveTriggerSpecs(specs);
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const deadLetters = new DeadLetters(js, jsm);
  // Created early so operators find it; if this fails, parking tries again.
  await deadLetters.ensureStream().catch((e: unknown) => log(`dead-letter stream not ready yet: ${errorText(e)}`));

  const controller = new AbortController();
  // Batched functions read the keys they touch through this, many per request.
  // The same subject serves the later parts of calls in several parts.
  const parts = new BatchParts();
  const batched = resolved.some((s) => s.batch_max_events > 1);
  const reads = batched
    ? startKvReads(readsNc, readsNc === nc ? jsm : await jetstreamManager(readsNc), parts)
    : undefined;
  // One consumer per durable: specs naming the same one share its deliveries.
  const loops = groupByDurable(resolved).map((group) =>
    runTriggerLoop({
      nc,
      js,
      jsm,
      spec: group.consumer,
      group,
      deadLetters,
      log,
      signal: controller.signal,
      reads: reads?.subject,
      parts,
    }),
  );
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      controller.abort();
      stopped ??= Promise.all(loops).then(() => reads?.stop());
      return stopped;
    },
  };
}

function defaultLog(line: string): void {
  process.stdout.write(`${new Date().toISOString()} trigger-bridge: ${line}\n`);
}
