import { fromSeed } from "@nats-io/nkeys";
import { requestEnvelope, signRequest } from "@natster/protocol";
import { connectWithCreds } from "../nats/connection.ts";
import type { StackInfo } from "../protocol/wire.ts";
import type { Session } from "./session-store.ts";
import { credsParts } from "./user-jwt.ts";

const AUTHORITY = { nonce: "natster.authority.nonce", userLogout: "natster.authority.user.logout" } as const;

/**
 * Logs this browser user out for good: the page holds only its own user (no account key), so it
 * proves it holds that user's key by signing the request with it, and the authority revokes that
 * one user in the account JWT. nats-server then closes every connection using it, copies included.
 */
export async function revokeLogin(session: Session, stack: StackInfo): Promise<void> {
  const parts = credsParts(session.creds);
  if (!parts) throw new Error("this session holds no user credentials");
  const user = fromSeed(new TextEncoder().encode(parts.seed));
  const nc = await connectWithCreds(stack.ws_urls, stack.public_creds, "natster_ui_logout", false);
  try {
    const { nonce } = await requestEnvelope<{ nonce: string }>(nc, AUTHORITY.nonce);
    const body = signRequest({ op: "user.logout", user: user.getPublicKey(), nonce, jwt: parts.jwt }, (d) =>
      user.sign(d),
    );
    await requestEnvelope(nc, AUTHORITY.userLogout, body, 10_000);
  } finally {
    await nc.close().catch(() => undefined);
  }
}
