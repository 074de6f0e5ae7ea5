import { NoRespondersError, PermissionViolationError, RequestError, TimeoutError } from "@nats-io/nats-core";
import { describe, expect, it } from "vitest";
import { NatsterError } from "./errors.ts";
import { requestFailure, requestFailureKind, requestTargetOf, type RequestTarget } from "./request-failure.ts";

const KEY = "ADUMMYACCOUNTKEY";
const noResponders = (subject: string) => new RequestError("no responders", { cause: new NoRespondersError(subject) });
const codeOf = (error: unknown, target: RequestTarget) => requestFailure(error, target, 5000).code;

describe("what a request asked, read off its subject", () => {
  it("given a catalog subject, own or imported (an account in token 1), then the target is that catalog", () => {
    expect(requestTargetOf("natster.catalog.movies.get")).toEqual({ kind: "catalog", catalog: "movies" });
    expect(requestTargetOf(`${KEY}.natster.catalog.movies.download`)).toEqual({ kind: "catalog", catalog: "movies" });
  });

  it("given the local services, the global service or the authority, then each is its own target", () => {
    expect(requestTargetOf("natster.local.inbox")).toEqual({ kind: "local", subject: "natster.local.inbox" });
    expect(requestTargetOf("natster.global.my.shares")).toEqual({ kind: "global", op: "my.shares" });
    expect(requestTargetOf("natster.authority.nonce")).toEqual({ kind: "service", subject: "natster.authority.nonce" });
  });
});

describe("how a request failed, told by the error's name", () => {
  it("given nats-core's errors, then no responders (bare or as a cause), timeout and permission are told apart", () => {
    expect(requestFailureKind(noResponders("x"))).toBe("no-responders");
    expect(requestFailureKind(new NoRespondersError("x"))).toBe("no-responders");
    expect(requestFailureKind(new TimeoutError())).toBe("timeout");
    expect(requestFailureKind(new PermissionViolationError("Permissions Violation", "publish", "x"))).toBe("forbidden");
    expect(requestFailureKind(new Error("connection closed"))).toBe("other");
    expect(requestFailureKind("not an error")).toBe("other");
  });

  it("given an error from another copy of nats-core (same name, other class), then it is told apart the same", () => {
    const foreign = Object.assign(new Error("timeout"), { name: "TimeoutError" });
    expect(requestFailureKind(foreign)).toBe("timeout");
  });
});

describe("the one mapping from request failures to codes", () => {
  const catalog: RequestTarget = { kind: "catalog", catalog: "movies" };
  const local: RequestTarget = { kind: "local", subject: "natster.local.inbox" };
  const global: RequestTarget = { kind: "global", op: "my.shares" };
  const authority: RequestTarget = { kind: "service", subject: "natster.authority.nonce" };

  it("given a catalog server nobody serves, then CATALOG_OFFLINE, saying it is not online", () => {
    const error = requestFailure(noResponders("natster.catalog.movies.get"), catalog, 5000);
    expect(error.code).toBe("CATALOG_OFFLINE");
    expect(error.message).toMatch(/catalog 'movies' is not online/);
  });

  it("given a catalog server that does not answer in time, then TIMEOUT, saying it is not online and how long we waited", () => {
    const error = requestFailure(new TimeoutError(), catalog, 1234);
    expect(error.code).toBe("TIMEOUT");
    expect(error.message).toMatch(/not online.*1234 ms/);
  });

  it("given the user's own local services, then CATALOG_OFFLINE when nothing of theirs runs, TIMEOUT when it hangs", () => {
    expect(codeOf(noResponders("natster.local.inbox"), local)).toBe("CATALOG_OFFLINE");
    expect(codeOf(new TimeoutError(), local)).toBe("TIMEOUT");
  });

  it("given the global service or the authority, then SERVICE_UNAVAILABLE when nobody answers, TIMEOUT when late", () => {
    expect(codeOf(noResponders("natster.global.my.shares"), global)).toBe("SERVICE_UNAVAILABLE");
    expect(codeOf(new TimeoutError(), global)).toBe("TIMEOUT");
    expect(codeOf(noResponders("natster.authority.nonce"), authority)).toBe("SERVICE_UNAVAILABLE");
    expect(codeOf(new TimeoutError(), authority)).toBe("TIMEOUT");
  });

  it("given a permission violation, then FORBIDDEN whatever the target", () => {
    const denied = new PermissionViolationError("Permissions Violation", "publish", "natster.global.stats");
    for (const target of [catalog, local, global, authority]) expect(codeOf(denied, target)).toBe("FORBIDDEN");
  });

  it("given a bad or error envelope already read (a NatsterError), then it passes through unchanged", () => {
    const refused = new NatsterError("NOT_FOUND", "Requested File Not Found");
    expect(requestFailure(refused, catalog, 5000)).toBe(refused);
  });

  it("given anything else, then INTERNAL with the cause's message", () => {
    const error = requestFailure(new Error("connection closed"), global, 5000);
    expect(error.code).toBe("INTERNAL");
    expect(error.message).toMatch(/connection closed/);
  });
});
