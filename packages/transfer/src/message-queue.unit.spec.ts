import type { Msg } from "@nats-io/nats-core";
import { NatsterError } from "@natster/protocol";
import { describe, expect, it } from "vitest";
import { MessageQueue } from "./message-queue.ts";

const msg = (n: number) => ({ data: new Uint8Array([n]) }) as Msg;
const overflow = () => new NatsterError("CHUNK_REJECTED", "the sender ignored flow control");
const idle = () => new NatsterError("TIMEOUT", "idle");

describe("receiver message queue", () => {
  it("given messages pushed before and while waiting, then the single consumer gets them in order", async () => {
    const queue = new MessageQueue(4, overflow);
    queue.push(msg(1));
    expect((await queue.next(1000, idle)).data[0]).toBe(1);
    const waiting = queue.next(1000, idle);
    queue.push(msg(2));
    expect((await waiting).data[0]).toBe(2);
  });

  it("given nothing arrives, then next() rejects with the idle error after the wait", async () => {
    const queue = new MessageQueue(4, overflow);
    await expect(queue.next(20, idle)).rejects.toThrow(expect.objectContaining({ code: "TIMEOUT" }) as Error);
  });

  it("given a sender exceeding the capacity, then the queue fails instead of growing", async () => {
    const queue = new MessageQueue(2, overflow);
    for (let i = 0; i < 3; i++) queue.push(msg(i));
    await expect(queue.next(1000, idle)).rejects.toThrow(expect.objectContaining({ code: "CHUNK_REJECTED" }) as Error);
  });

  it("given a failure while a consumer waits, then it is woken with that failure, and the first failure sticks", async () => {
    const queue = new MessageQueue(2, overflow);
    const waiting = queue.next(10_000, idle);
    queue.fail(new NatsterError("TRANSFER_CANCELLED", "cancelled"));
    queue.fail(new NatsterError("INTERNAL", "later"));
    await expect(waiting).rejects.toThrow(expect.objectContaining({ code: "TRANSFER_CANCELLED" }) as Error);
  });
});
