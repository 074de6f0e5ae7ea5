import type { NatsConnection } from "@nats-io/nats-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { echoFunction } from "../fixtures/nex/scripts.ts";
import { startTestStack, type TestStack } from "../support/test-stack.ts";
import { recordEvents, startNexOnStack, type NexTestNode, type Recorder } from "./nex-harness.ts";
import type { CloudEvent } from "nex-node";

const enc = new TextEncoder();
const dec = new TextDecoder();
const TRIGGER = "fn.split.echo";
const BURST = 40;

type Reply = { id: string; body: string };
type Succeeded = CloudEvent<Record<string, unknown>>;

/** Requests with reply subjects of our own, so a second answer to one request would be seen, not swallowed. */
function replyBook(nc: NatsConnection, prefix: string) {
  const replies: Reply[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  nc.subscribe(`${prefix}.>`, {
    callback: (_err, msg) => {
      replies.push({ id: msg.subject.slice(prefix.length + 1), body: dec.decode(msg.data) });
      for (const w of waiters.filter((w) => replies.length >= w.count)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    },
  });
  return {
    replies,
    send: (id: string) => nc.publish(TRIGGER, enc.encode(id), { reply: `${prefix}.${id}` }),
    atLeast: (count: number) =>
      replies.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve })),
  };
}

const servedBy = (events: Succeeded[], nodeId: string) =>
  events.filter((e) => e.source === nodeId && e.data.workload_name === "splitecho").length;

describe("nex node: two nodes with the same function share its trigger through a queue group", () => {
  let stack: TestStack;
  let a: NexTestNode;
  let b: NexTestNode;
  let observer: NatsConnection;
  let succeeded: Recorder<Succeeded>;

  beforeAll(async () => {
    stack = await startTestStack();
    a = await startNexOnStack(stack);
    b = await startNexOnStack(stack);
    observer = await stack.connect("global", "queue-observer");
    succeeded = recordEvents(observer, "function_exec_succeeded");
    await observer.flush();
    await a.deploy("splitecho", echoFunction, { type: "v8", triggerSubjects: [TRIGGER] });
    await b.deploy("splitecho", echoFunction, { type: "v8", triggerSubjects: [TRIGGER] });
  });
  afterAll(() => stack?.stop());

  it("given the function on two nodes, when a burst of requests comes, then each is run and answered exactly once, by one node or the other", async () => {
    const book = replyBook(observer, "split.reply");
    const ids = Array.from({ length: BURST }, (_, i) => `r${i}`);
    for (const id of ids) book.send(id);
    await book.atLeast(BURST);
    await waitForEvents(succeeded, BURST);

    // Both nodes are idle now (every request has its reply and its event); a duplicate would already be here.
    await observer.flush();
    expect(book.replies.map((r) => r.id).sort()).toEqual([...ids].sort());
    for (const r of book.replies) expect(JSON.parse(r.body)).toEqual({ triggered_on: TRIGGER, payload: r.id });
    const events = succeeded.seen.filter((e) => e.data.workload_name === "splitecho");
    expect(events).toHaveLength(BURST);
    expect(servedBy(events, a.node.nodeId) + servedBy(events, b.node.nodeId)).toBe(BURST);
  });

  it("given the function on two nodes, when requests keep coming, then both nodes serve some (the server spreads the queue group)", async () => {
    const book = replyBook(observer, "spread.reply");
    // The server picks a queue member at random for each message; ask until each node has answered one.
    // No clock is involved: the loop ends as soon as the second node has served a request.
    let sent = 0;
    const served = () => [a.node.nodeId, b.node.nodeId].map((id) => servedBy(succeeded.seen, id));
    const before = served();
    while (served().some((n, i) => n === before[i])) {
      book.send(`s${sent++}`);
      await book.atLeast(sent);
      await waitForEvents(succeeded, BURST + sent);
    }
    expect(book.replies).toHaveLength(sent);
    expect(new Set(book.replies.map((r) => r.id)).size).toBe(sent);
    const [servedA = 0, servedB = 0] = served();
    expect(servedA).toBeGreaterThan(before[0] ?? 0);
    expect(servedB).toBeGreaterThan(before[1] ?? 0);
    expect(servedA + servedB).toBe(BURST + sent);
  });
});

async function waitForEvents(recorder: Recorder<Succeeded>, count: number): Promise<void> {
  const ours = (e: Succeeded) => e.data.workload_name === "splitecho";
  const matching = () => recorder.seen.filter(ours).length;
  if (matching() < count) await recorder.next((e) => ours(e) && matching() >= count, 30_000);
}
