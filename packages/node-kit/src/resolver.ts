import type { NatsConnection } from "@nats-io/nats-core";

const enc = new TextEncoder();
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
    throw new Error(`resolver refused the account JWT: ${body.error?.description ?? body.data?.message ?? "no reason"}`);
  }
}

/** Every account the `full` resolver holds. */
export async function listAccounts(sys: NatsConnection): Promise<string[]> {
  const reply = await sys.request("$SYS.REQ.CLAIMS.LIST", new Uint8Array(), { timeout: 5000 });
  return (JSON.parse(dec.decode(reply.data)) as { data?: string[] }).data ?? [];
}

/**
 * The account JWT the resolver holds, or undefined when the account is unknown. Current nats-server
 * (2.10+) answers a lookup of an unknown account with an empty message; 2.9 (Debian's fallback binary)
 * never answers it, so there an unknown account costs the lookup's timeout.
 */
export async function lookupAccountJwt(sys: NatsConnection, account: string, timeoutMs = 3000): Promise<string | undefined> {
  try {
    const reply = await sys.request(`$SYS.REQ.ACCOUNT.${account}.CLAIMS.LOOKUP`, new Uint8Array(), { timeout: timeoutMs });
    const text = dec.decode(reply.data).trim();
    return text.startsWith("ey") ? text : undefined;
  } catch {
    return undefined;
  }
}
