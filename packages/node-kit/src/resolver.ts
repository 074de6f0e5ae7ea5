import type { NatsConnection } from "@nats-io/nats-core";
import { newestAccountJwt } from "./resolver-answers.ts";

const enc = new TextEncoder();
/** How long a clustered lookup waits for one more server's answer after the last one came. */
const CLUSTER_STALL_MS = 50;
const dec = new TextDecoder();

type ClaimsUpdateReply = {
  data?: { account: string; code: number; message: string };
  error?: { account?: string; code: number; description: string };
};

/** Pushes an account JWT to the `full` resolver through a SYS connection; throws with the server's reason. */
export async function pushAccountJwt(sys: NatsConnection, jwt: string): Promise<void> {
  const reply = await sys.request("$SYS.REQ.CLAIMS.UPDATE", enc.encode(jwt), { timeout: 5000 });
  const body = JSON.parse(dec.decode(reply.data)) as ClaimsUpdateReply;
  if (body.error || body.data?.code !== 200) {
    throw new Error(
      `resolver refused the account JWT: ${body.error?.description ?? body.data?.message ?? "no reason"}`,
    );
  }
}

/**
 * The account JWT the resolver holds, or undefined when the account is unknown: one account per
 * request (`$SYS.REQ.ACCOUNT.<key>.CLAIMS.LOOKUP`), so nothing depends on listing every account.
 *
 * Every server of a cluster answers a lookup, and one that has not yet stored a JWT pushed a moment
 * ago through another answers empty or with the older one: in a cluster the lookup hears the
 * answers until none has come for `CLUSTER_STALL_MS` and keeps the newest JWT (a single server
 * answers once, and that answer ends the lookup at once). Current nats-server (2.10+)
 * answers an unknown account with an empty message; 2.9 (Debian's fallback binary) never answers
 * it, so there an unknown account costs the lookup's timeout.
 */
export async function lookupAccountJwt(
  sys: NatsConnection,
  account: string,
  timeoutMs = 3000,
): Promise<string | undefined> {
  const clustered = Boolean(sys.info?.cluster);
  const answers: string[] = [];
  try {
    const replies = await sys.requestMany(
      `$SYS.REQ.ACCOUNT.${account}.CLAIMS.LOOKUP`,
      new Uint8Array(),
      clustered
        ? { strategy: "stall", stall: CLUSTER_STALL_MS, maxWait: timeoutMs }
        : { strategy: "count", maxMessages: 1, maxWait: timeoutMs },
    );
    for await (const reply of replies) answers.push(dec.decode(reply.data));
  } catch {
    // no responders or a closed connection: what arrived before counts
  }
  return newestAccountJwt(answers);
}
