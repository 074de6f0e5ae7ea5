import {
  fromBase64Url,
  isAccountKey,
  NatsterError,
  type AuthorityOp,
  type AuthorityPayload,
  type SignedRequest,
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
  if (typeof s !== "string" || !/^[A-Za-z0-9_-]*$/.test(s)) throw new NatsterError("BAD_REQUEST", `${field} must be base64url`);
  return fromBase64Url(s);
};

/**
 * Opens a signed request for endpoint `op`: checks size, shape, the account key and that the
 * signature over the payload verifies with that very key. The nonce is checked by the caller.
 */
export function openSignedRequest(raw: Uint8Array, op: AuthorityOp, verify: Verify): AuthorityPayload {
  if (raw.length > MAX_REQUEST_BYTES) throw new NatsterError("PAYLOAD_TOO_LARGE", `requests are limited to ${MAX_REQUEST_BYTES} bytes`);
  const envelope = decodeJson(raw) as Partial<SignedRequest> | null;
  if (typeof envelope !== "object" || envelope === null) throw new NatsterError("BAD_REQUEST", "expected {payload, sig}");
  const payloadBytes = decodeB64(envelope.payload, "payload");
  const sig = decodeB64(envelope.sig, "sig");
  const payload = decodeJson(payloadBytes) as Partial<AuthorityPayload> | null;
  if (typeof payload !== "object" || payload === null) throw new NatsterError("BAD_REQUEST", "payload must be an object");
  if (payload.op !== op) throw new NatsterError("BAD_REQUEST", `payload.op must be '${op}'`);
  if (!isAccountKey(payload.account)) throw new NatsterError("BAD_ACCOUNT_KEY", "payload.account is not an account public key");
  if (typeof payload.nonce !== "string" || payload.nonce.length === 0) throw new NatsterError("BAD_REQUEST", "payload.nonce is required");
  if (!verify(payload.account, payloadBytes, sig)) {
    throw new NatsterError("AUTH_BAD_SIGNATURE", "the signature does not verify with the account key");
  }
  return payload as AuthorityPayload;
}
