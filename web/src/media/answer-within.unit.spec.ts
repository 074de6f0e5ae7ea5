import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { answerWithin } from "./answer-within.ts";

const never = () => new Promise<boolean>(() => undefined);

describe("a caller's bounded wait for the media worker's registration", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("given a registration that answers in time, when a caller waits, then it gets that answer", async () => {
    await expect(answerWithin(Promise.resolve(true), 5_000)).resolves.toBe(true);
    await expect(answerWithin(Promise.resolve(false), 5_000)).resolves.toBe(false);
  });

  it("given a registration that never settles, when the wait runs out, then the caller goes on without the worker", async () => {
    const answer = answerWithin(never(), 5_000);
    await vi.advanceTimersByTimeAsync(5_000);
    await expect(answer).resolves.toBe(false);
  });

  it("given a registration that fails, when a caller waits, then it goes on without the worker", async () => {
    await expect(answerWithin(Promise.reject(new Error("SecurityError")), 5_000)).resolves.toBe(false);
  });

  it("given a slow registration, when one caller gave up before it answered, then a later caller gets its answer", async () => {
    let answer!: (ok: boolean) => void;
    const registration = new Promise<boolean>((resolve) => (answer = resolve));
    const first = answerWithin(registration, 5_000);
    await vi.advanceTimersByTimeAsync(5_000);
    await expect(first).resolves.toBe(false);

    const later = answerWithin(registration, 5_000);
    answer(true);
    await expect(later).resolves.toBe(true);
  });
});
