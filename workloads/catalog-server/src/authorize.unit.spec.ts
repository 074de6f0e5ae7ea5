import type { Msg } from "@nats-io/nats-core";
import { catalogRequesterOf } from "@natster/protocol";
import { describe, expect, it } from "vitest";
import { authorizeStep, type AuthorizedRequester } from "./authorize.ts";
import type { ShareAuthorizer } from "./authorizer.ts";

/** A request on `subject` that remembers its replies. */
function request(subject: string) {
  const replies: unknown[] = [];
  const msg = {
    subject,
    reply: "_INBOX.r",
    data: new Uint8Array(),
    respond: (d: Uint8Array) => replies.push(JSON.parse(new TextDecoder().decode(d))),
  } as unknown as Msg;
  return { msg, requester: catalogRequesterOf(subject), replies };
}

/** Share lookups are counted: the owner's own requests must never cost one. */
function sharesTo(...accounts: string[]) {
  const asked: string[] = [];
  const authorizer: ShareAuthorizer = {
    isAllowed: (a) => Promise.resolve(void asked.push(a)).then(() => accounts.includes(a)),
    recheck: (a) => Promise.resolve(accounts.includes(a)),
    invalidate: () => undefined,
  };
  return { authorizer, asked };
}

describe("the authorize step", () => {
  const handled: AuthorizedRequester[] = [];
  const handler = (_msg: Msg, r: AuthorizedRequester) => Promise.resolve(void handled.push(r)).then(() => "200");

  it("given an importer without a share, then FORBIDDEN and the handler never runs", async () => {
    const { authorizer } = sharesTo("AFRIEND");
    const r = request("ASTRANGER.natster.catalog.movies.get");
    handled.length = 0;
    expect(await authorizeStep(authorizer)(handler)(r.msg, r.requester)).toBe("403 FORBIDDEN Forbidden");
    expect(r.replies).toEqual([{ code: 403, error_code: "FORBIDDEN", error: "Forbidden", data: null }]);
    expect(handled).toEqual([]);
  });

  it("given an importer with a share, then the handler gets it as an authorized importer", async () => {
    const { authorizer } = sharesTo("AFRIEND");
    const r = request("AFRIEND.natster.catalog.movies.download");
    handled.length = 0;
    expect(await authorizeStep(authorizer)(handler)(r.msg, r.requester)).toBe("200");
    expect(handled).toEqual([{ kind: "remote", account: "AFRIEND", authorized: true }]);
  });

  it("given the owner's own request, then it passes without a share lookup", async () => {
    const { authorizer, asked } = sharesTo();
    const r = request("natster.catalog.movies.get");
    handled.length = 0;
    expect(await authorizeStep(authorizer)(handler)(r.msg, r.requester)).toBe("200");
    expect(handled).toEqual([{ kind: "local", authorized: true }]);
    expect(asked).toEqual([]);
  });
});
