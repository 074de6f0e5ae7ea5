import { describe, expect, it } from "vitest";
import { Cleanup } from "./cleanup.ts";

describe("Cleanup", () => {
  it("given a failing step between two others, when all are attempted, then all ran and done() throws the failure by name", async () => {
    const ran: string[] = [];
    const cleanup = new Cleanup();
    await cleanup.attempt("first", () => Promise.resolve(ran.push("first")));
    await cleanup.attempt("second", () => Promise.reject(new Error("still running")));
    await cleanup.attempt("third", () => Promise.resolve(ran.push("third")));
    expect(ran).toEqual(["first", "third"]);
    expect(() => cleanup.done("cleanup failed")).toThrow("cleanup failed:\nsecond: still running");
  });

  it("given only succeeding steps, when done, then nothing is thrown", async () => {
    const cleanup = new Cleanup();
    await cleanup.attempt("only", () => Promise.resolve());
    expect(() => cleanup.done("cleanup failed")).not.toThrow();
  });
});
