import { Algorithms, decode, encode, type ClaimsData } from "@nats-io/jwt";
import type { KeyPair } from "@nats-io/nkeys";

export type WorkloadClaims = { id: string; issuer: string; name: string; hash: string; jti: string };

type GenericData = { hash?: unknown; name?: unknown; type?: string; version?: number };

/**
 * A generic-claims JWT signed by the issuer account key, `sub` = workload id, data `{hash, name}`
 * (`CreateWorkloadJWT`, control-api/run.go). `encodeGeneric` forces `sub` to the signer's key,
 * so the claim is assembled here and signed with the library's `encode`.
 */
export function createWorkloadJwt(issuer: KeyPair, workloadId: string, name: string, hash: string): Promise<string> {
  const claim = {
    name: workloadId,
    sub: workloadId,
    nats: { hash, name, type: "generic", version: 2 },
  } as unknown as ClaimsData<unknown>;
  return encode(Algorithms.v2, claim, issuer);
}

/** A stop request's JWT: same subject, fresh signature (`NewStopRequest`). */
export function createStopJwt(issuer: KeyPair, workloadId: string): Promise<string> {
  const claim = {
    name: workloadId,
    sub: workloadId,
    nats: { type: "generic", version: 2 },
  } as unknown as ClaimsData<unknown>;
  return encode(Algorithms.v2, claim, issuer);
}

/** Verifies the signature and expiry and returns the claims; throws on anything invalid. */
export function verifyWorkloadJwt(token: string, now = Date.now()): WorkloadClaims {
  let claims: ClaimsData<GenericData>;
  try {
    claims = decode<GenericData>(token);
  } catch (e) {
    throw new Error(`could not decode workload JWT: ${(e as Error).message}`);
  }
  const seconds = Math.floor(now / 1000);
  if ((claims.exp && claims.exp < seconds) || (claims.nbf && claims.nbf > seconds)) {
    throw new Error("standard claims within JWT are not valid");
  }
  return {
    id: claims.sub,
    issuer: claims.iss,
    name: typeof claims.nats.name === "string" ? claims.nats.name : "",
    hash: typeof claims.nats.hash === "string" ? claims.nats.hash : "",
    jti: claims.jti,
  };
}
