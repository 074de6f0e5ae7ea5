import { AckPolicy, DeliverPolicy, jetstreamManager } from "@nats-io/jetstream";
import { nanos, type NatsConnection } from "@nats-io/nats-core";
import type { JetStreamTriggerEvent, JetStreamTriggerSpec } from "@natster/protocol";
import { describe, expect, it } from "vitest";
import { range, until } from "@natster/test-kit";
import { runBridge, runBridgeProcess } from "../../workloads/trigger-bridge/test/run-bridge.ts";
import { StandInFunction } from "../../workloads/trigger-bridge/test/stand-in-function.ts";
import { createTestStream, deadLettersOf, type TestStream } from "../../workloads/trigger-bridge/test/test-stream.ts";
import { startTestStack, type TestStack } from "../support/test-stack.ts";
import { suiteStack } from "../support/suite-stack.ts";

/** A projection's bytes: what it applied, in the order it applied it (delivery counts differ by nature). */
const projectionBytes = (fn: StandInFunction) =>
  JSON.stringify(
    fn.applied.map(({ seq, subject, time, data }: JetStreamTriggerEvent) => ({ seq, subject, time, data })),
  );

/** Ordered and batched like the real projections, with short timers so a failover takes seconds. */
const pinnedSpec = (events: TestStream, durable: string, trigger: string): JetStreamTriggerSpec =>
  events.spec(durable, {
    trigger_subject: trigger,
    ordered: true,
    batch_max_events: 5,
    ack_wait_ms: 2_000,
    request_timeout_ms: 500,
    backoff_ms: [50],
    max_deliver: 100,
  });

/** The reference: a fresh durable on the same stream, read by one bridge alone. */
async function rebuild(
  stack: TestStack,
  nc: NatsConnection,
  events: TestStream,
  count: number,
): Promise<StandInFunction> {
  const fn = await new StandInFunction(nc, `fn.${events.name.toLowerCase()}.rebuild`).start();
  await runBridge(stack, [pinnedSpec(events, "rebuild", fn.subject)]);
  await fn.waitForApplied(count, 60_000);
  return fn;
}

describe("trigger bridge: several instances share one durable without double-applying", () => {
  const suite = suiteStack(startTestStack, async (stack) => ({
    nc: await stack.connect("global", "stand-in-functions"),
  }));

  it("given two instances on one ordered durable, when a burst arrives, then one instance is pinned and the projection equals a single rebuild, byte for byte", async () => {
    const events = await createTestStream(suite.nc, "twoinstances");
    const fn = await new StandInFunction(suite.nc, "fn.twoinstances.projection").start();
    const spec = pinnedSpec(events, "shared", fn.subject);
    await runBridge(suite.stack, [spec]);
    await runBridge(suite.stack, [spec]);
    await events.publish(60);

    await fn.waitForApplied(60, 60_000);
    expect(fn.appliedSeqs()).toEqual(range(1, 60));
    const info = await (await jetstreamManager(suite.nc)).consumers.info(events.name, "shared");
    expect(info.config).toMatchObject({ priority_policy: "pinned_client", priority_groups: ["natster-bridge"] });
    const groups = (info as { priority_groups?: { group: string; pinned_client_id?: string }[] }).priority_groups ?? [];
    expect(groups.filter((g) => g.pinned_client_id)).toHaveLength(1);
    expect(projectionBytes(fn)).toBe(projectionBytes(await rebuild(suite.stack, suite.nc, events, 60)));
  });

  it("given the pinned instance killed after it acked some events, when the other takes over, then it finishes in order and the projection equals a rebuild", async () => {
    const events = await createTestStream(suite.nc, "failover");
    const HELD_FROM = 13;
    let holding = true;
    // Applies everything before HELD_FROM; from there on the first instance's calls go unanswered
    // until the test has killed it, so it dies with events delivered to it and not acked.
    const fn = await new StandInFunction(suite.nc, "fn.failover.projection", {
      behaviour: (e) => (holding && e.seq >= HELD_FROM ? "silent" : "ok"),
    }).start();
    const spec = pinnedSpec(events, "failover", fn.subject);
    const first = runBridgeProcess(suite.stack, [spec]);
    await first.waitForOutput(/ready/);
    await events.publish(40);
    await fn.waitForApplied(1, 30_000); // the first instance holds the pin: it alone ran until now
    await runBridge(suite.stack, [spec]);

    await until(
      () => fn.calls.some((e) => e.seq >= HELD_FROM),
      () => `a call for seq ${HELD_FROM} or later (calls: ${fn.calls.length})`,
      30_000,
    );
    first.kill("SIGKILL");
    await first.exited;
    const appliedAtKill = fn.appliedSeqs();
    holding = false;

    await fn.waitForApplied(40, 60_000);
    // Batches take what has arrived, so the first instance stopped somewhere before HELD_FROM.
    expect(appliedAtKill.length).toBeGreaterThan(0);
    expect(appliedAtKill.length).toBeLessThan(HELD_FROM);
    expect(appliedAtKill).toEqual(range(1, appliedAtKill.length));
    expect(fn.appliedSeqs()).toEqual(range(1, 40));
    expect(await deadLettersOf(suite.nc, "failover")).toHaveLength(0);
    expect(projectionBytes(fn)).toBe(projectionBytes(await rebuild(suite.stack, suite.nc, events, 40)));
  });

  it("given a durable made before pinning, when a bridge starts on it, then the consumer is pinned in place and its events still flow in order", async () => {
    const events = await createTestStream(suite.nc, "legacy");
    const fn = await new StandInFunction(suite.nc, "fn.legacy.projection").start();
    const spec = pinnedSpec(events, "legacy", fn.subject);
    const jsm = await jetstreamManager(suite.nc);
    await jsm.consumers.add(events.name, {
      durable_name: "legacy",
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      max_ack_pending: 10,
      ack_wait: nanos(2_000),
      max_deliver: -1,
    });
    await events.publish(12);
    await runBridge(suite.stack, [spec]);
    await fn.waitForApplied(12, 30_000);
    expect(fn.appliedSeqs()).toEqual(range(1, 12));
    expect((await jsm.consumers.info(events.name, "legacy")).config).toMatchObject({
      priority_policy: "pinned_client",
      priority_groups: ["natster-bridge"],
    });
  });
});
