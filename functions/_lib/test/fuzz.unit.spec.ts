import { ErrorCodes, isErrorCode } from "@natster/protocol";
import { beforeAll, describe, expect, it } from "vitest";
import { prng } from "@natster/test-kit";
import { Stack, bytes, loadBundles, newAccount, type Reply } from "./stack.ts";

const SLOW = 60_000;
const me = newAccount();
const friend = newAccount();
let stack: Stack;

/** Every op with a valid body to mutate. */
const OPS: Record<string, Record<string, unknown>> = {
  "events.put": { event_type: "catalog_shared", catalog: "movies", target: friend, data: null },
  "heartbeats.put": { catalog: "movies", account_key: me, revision: 1 },
  "heartbeats.offline": { catalog: "movies" },
  "otc.generate": { sealed: "c2VhbGVk" },
  "otc.claim": { code: "0123456789abcdefghjk" },
  "catalogs.validatename": { name: "movies" },
  stats: {},
  whoami: {},
  "my.shares": {},
  "context.get": {},
};
const ODD = [
  null,
  0,
  -1,
  1.5,
  1e300,
  true,
  [],
  {},
  "",
  " ",
  "x".repeat(100),
  "a.b",
  "*",
  ">",
  "none",
  "NONE",
  "\u0000",
  "é",
  "A".repeat(56),
  friend,
  "$JS.API.>",
];

function mutations(body: Record<string, unknown>): unknown[] {
  const out: unknown[] = [null, [], "str", 42, [body]];
  for (const field of Object.keys(body)) {
    const { [field]: _dropped, ...rest } = body;
    out.push(rest);
    for (const value of ODD) out.push({ ...body, [field]: value });
  }
  return out;
}

beforeAll(async () => {
  stack = new Stack(await loadBundles());
  stack.api(me, "events.put", { event_type: "natster_initialized" });
  stack.api(me, "events.put", { event_type: "catalog_shared", catalog: "movies", target: friend });
  stack.project();
}, SLOW);

/** A well-formed reply: 200, or a 4xx whose stable error_code travels with its own status. Never 5xx. */
function expectClientOutcome(reply: Reply, allow200: boolean): void {
  if (reply.code === 200 && allow200) return;
  expect(reply.code).toBeGreaterThanOrEqual(400);
  expect(reply.code).toBeLessThan(500);
  expect(reply.data).toBeNull();
  expect(typeof reply.error).toBe("string");
  expect(isErrorCode(reply.error_code) && ErrorCodes[reply.error_code]).toBe(reply.code);
}

describe("fuzz: bad input to every op", () => {
  const random = prng(4242);
  const randomBytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256));

  it.each(Object.keys(OPS))(
    "given random bytes, when sent to %s (as a user and as the web account), then a 4xx or 200 envelope, never a throw",
    (op) => {
      for (const caller of [me, stack.config.public]) {
        for (let i = 0; i < 40; i++) {
          // A leading 0xff is never JSON, nor a catalog name: that half must be refused.
          const garbage = randomBytes(1 + Math.floor(random() * 64));
          expectClientOutcome(stack.api(caller, op, garbage), true);
          expectClientOutcome(
            stack.api(caller, op, Uint8Array.of(0xff, ...garbage)),
            Object.keys(OPS[op] ?? {}).length === 0,
          );
        }
      }
    },
    SLOW,
  );

  it.each(Object.keys(OPS))(
    "given structurally invalid JSON, when sent to %s, then a 4xx or 200 envelope, never a throw",
    (op) => {
      for (const body of mutations(OPS[op] ?? {})) {
        expectClientOutcome(stack.api(op === "otc.claim" ? stack.config.public : me, op, bytes(body)), true);
      }
    },
    SLOW,
  );

  it.each(["project-account", "project-catalog"] as const)(
    "given random bytes and broken trigger events, when delivered to %s, then {ok:false, retry:false}",
    (name) => {
      const subject = `natster.internal.projections.${name.slice("project-".length)}`;
      const bodies = [
        ...Array.from({ length: 40 }, () => randomBytes(1 + Math.floor(random() * 64))),
        ...mutations({ seq: 1, subject: `natster.events.${me}.none.none.natster_initialized`, data: "{}" }).map(bytes),
      ];
      for (const body of bodies)
        expect(stack.invoke(name, subject, body)).toMatchObject({
          ok: false,
          retry: false,
          error: expect.any(String) as unknown,
        });
    },
    SLOW,
  );
});
