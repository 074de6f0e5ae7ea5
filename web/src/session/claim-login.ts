import { NatsterError, openLogin, requestEnvelope, type OtcClaimReply } from "@natster/protocol";
import { connectWithCreds } from "../nats/connection.ts";
import { errorCodeOf } from "../nats/request.ts";
import { GlobalRequests, type StackInfo } from "../protocol/wire.ts";
import type { LoginLink } from "./login-link.ts";
import type { Session } from "./session-store.ts";
import { hasCredsShape, readUserClaims } from "./user-jwt.ts";

/** Why a login link did not log in, each with the sentence the page shows. */
export type LoginFailure = "link-used" | "link-damaged" | "stack-unreachable" | "login-rejected";

export class LoginError extends Error {
  constructor(
    readonly failure: LoginFailure,
    message: string,
  ) {
    super(message);
  }
}

export const LOGIN_MESSAGES: Record<LoginFailure, string> = {
  "link-used": "This login link was already used or has expired — run `natster login` again.",
  "link-damaged":
    "This login link is incomplete or damaged — copy the whole link printed by `natster login`, or run it again.",
  "stack-unreachable": "Natster's servers cannot be reached right now. Is the stack running (`natster up`)?",
  "login-rejected": "Your login expired — run `natster login` again.",
};

const fail = (failure: LoginFailure): never => {
  throw new LoginError(failure, LOGIN_MESSAGES[failure]);
};

export async function fetchStackInfo(fetcher: typeof fetch = fetch): Promise<StackInfo> {
  const response = await fetcher("/stack.json", { cache: "no-store" }).catch(() => fail("stack-unreachable"));
  if (!response.ok) return fail("stack-unreachable");
  const info = (await response.json().catch(() => undefined)) as Partial<StackInfo> | undefined;
  if (typeof info?.ws_url !== "string" || typeof info.public_creds !== "string") return fail("stack-unreachable");
  const wsUrls =
    Array.isArray(info.ws_urls) && info.ws_urls.every((u) => typeof u === "string") && info.ws_urls.length > 0
      ? info.ws_urls
      : [info.ws_url];
  return { ws_url: info.ws_url, ws_urls: wsUrls, public_creds: info.public_creds };
}

/**
 * Redeems a one-time code as the public user (which may only claim codes), opens the sealed
 * browser creds with the key from the fragment, and returns the session to connect with.
 */
export async function claimLogin(link: LoginLink, stack: StackInfo): Promise<Session> {
  if (!link.code || !link.key) return fail("link-damaged");
  const publicNc = await connectWithCreds(stack.ws_urls, stack.public_creds, "natster_ui_claim", false).catch(() =>
    fail("stack-unreachable"),
  );
  let claimed: OtcClaimReply;
  try {
    claimed = await requestEnvelope<OtcClaimReply>(publicNc, GlobalRequests.otcClaim, { code: link.code });
  } catch (error) {
    const code = errorCodeOf(error);
    // A malformed code (400) cannot be told apart from an old one by a person holding the link.
    if (code === "NOT_FOUND" || code === "BAD_REQUEST") return fail("link-used");
    if (code === "TIMEOUT" || code === "SERVICE_UNAVAILABLE") return fail("stack-unreachable");
    throw error;
  } finally {
    await publicNc.close().catch(() => undefined);
  }
  if (typeof claimed?.sealed !== "string" || typeof claimed.account !== "string") {
    throw new NatsterError("INTERNAL", "the login service sent an unexpected reply");
  }
  const creds = await openLogin(claimed.sealed, link.key).catch(() => fail("link-damaged"));
  if (!hasCredsShape(creds)) return fail("link-damaged");
  const account = readUserClaims(creds)?.account ?? claimed.account;
  return { account, creds, ws_url: stack.ws_url, ws_urls: stack.ws_urls };
}
