import {
  fromBase64Url,
  isAccountKey,
  isUserKey,
  NatsterError,
  type AuthorityPayload,
  type SignedRequest,
  type UserLogoutPayload,
} from "@natster/protocol";

export const MAX_REQUEST_BYTES = 64 * 1024;

export type Verify = (account: string, data: Uint8Array, sig: Uint8Array) => boolean;

const decodeJson = (bytes: Uint8Array): unknown => {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new NatsterError("BAD_JSON", "the request is not valid JSON");
  }
};

const decodeB64 = (s: unknown, field: string): Uint8Array => {
  if (typeof s !== "string" || !/^[A-Za-z0-9_-]*$/.test(s))
    throw new NatsterError("BAD_REQUEST", `${field} must be base64url`);
  try {
    return fromBase64Url(s);
  } catch {
    throw new NatsterError("BAD_REQUEST", `${field} must be base64url`);
  }
};

/**
 * Opens a signed request for endpoint `op`: checks size, shape, the account key and that the
 * signature over the payload verifies with that very key. The nonce is checked by the caller.
 */
export function openSignedRequest(raw: Uint8Array, op: AuthorityPayload["op"], verify: Verify): AuthorityPayload {
  const { payload, payloadBytes, sig } = openEnvelope(raw, op);
  if (!isAccountKey(payload.account))
    throw new NatsterError("BAD_ACCOUNT_KEY", "payload.account is not an account public key");
  if (!verify(payload.account, payloadBytes, sig)) {
    throw new NatsterError("AUTH_BAD_SIGNATURE", "the signature does not verify with the account key");
  }
  return payload as AuthorityPayload;
}

/** Opens a page's logout: signed by the very user key it revokes (proof of possession). */
export function openUserLogout(raw: Uint8Array, verify: Verify): UserLogoutPayload {
  const { payload, payloadBytes, sig } = openEnvelope(raw, "user.logout");
  if (!isUserKey(payload.user)) throw new NatsterError("BAD_REQUEST", "payload.user is not a user public key");
  if (typeof payload.jwt !== "string") throw new NatsterError("BAD_REQUEST", "payload.jwt is required");
  if (!verify(payload.user, payloadBytes, sig)) {
    throw new NatsterError("AUTH_BAD_SIGNATURE", "the signature does not verify with the user key");
  }
  return payload as UserLogoutPayload;
}

type Opened = { payload: Record<string, unknown>; payloadBytes: Uint8Array; sig: Uint8Array };

function openEnvelope(raw: Uint8Array, op: string): Opened {
  if (raw.length > MAX_REQUEST_BYTES)
    throw new NatsterError("PAYLOAD_TOO_LARGE", `requests are limited to ${MAX_REQUEST_BYTES} bytes`);
  const envelope = decodeJson(raw) as Partial<SignedRequest> | null;
  if (typeof envelope !== "object" || envelope === null)
    throw new NatsterError("BAD_REQUEST", "expected {payload, sig}");
  const payloadBytes = decodeB64(envelope.payload, "payload");
  const sig = decodeB64(envelope.sig, "sig");
  const payload = decodeJson(payloadBytes) as Record<string, unknown> | null;
  if (typeof payload !== "object" || payload === null || Array.isArray(payload))
    throw new NatsterError("BAD_REQUEST", "payload must be an object");
  if (payload.op !== op) throw new NatsterError("BAD_REQUEST", `payload.op must be '${op}'`);
  if (typeof payload.nonce !== "string" || payload.nonce.length === 0)
    throw new NatsterError("BAD_REQUEST", "payload.nonce is required");
  return { payload, payloadBytes, sig };
}
