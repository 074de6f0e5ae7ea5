/**
 * Every stable error code in Natster, with the HTTP-like status it travels with.
 * Codes never change meaning; add new ones instead.
 */
export const ErrorCodes = {
  BAD_JSON: 400, // The payload is not valid JSON
  BAD_REQUEST: 400, // A field is missing or has the wrong type
  PAYLOAD_TOO_LARGE: 413, // The payload exceeds the endpoint's size limit
  BAD_ACCOUNT_KEY: 400, // Not a valid account public key (prefix or checksum)
  BAD_CATALOG_NAME: 400, // Catalog names are 1-64 letters and digits
  UNKNOWN_VERB: 404, // The subject names an operation that does not exist
  NOT_FOUND: 404, // The thing asked for does not exist
  FORBIDDEN: 403, // The caller may not do this
  INTERNAL: 500, // Something broke on our side
  NOT_INITIALIZED: 403, // The calling account has not run `natster init`
  ALREADY_INITIALIZED: 409, // `natster_initialized` was already recorded for this account
  DUPLICATE: 409, // The same share (or import) already exists
  NAME_TAKEN: 409, // Another account already shares a catalog under this name
  SELF_SHARE: 400, // An account cannot share with itself
  OUTPUT_EXISTS: 409, // The download target already exists (pass --force)
  BAD_CONTEXT_NAME: 400, // --context takes a plain name (letters, digits, '-', '_'), never a path

  AUTH_BAD_SIGNATURE: 401, // The request is not signed by the account key it names
  AUTH_NONCE_UNKNOWN: 401, // The nonce was never issued, expired, or was already used
  AUTH_FOREIGN_EXPORT: 403, // Only Natster's two exports are allowed
  AUTH_IMPORT_TOKEN: 403, // An import names another account's key in the token position
  AUTH_WILDCARD_IMPORT: 403, // An import tries to grab a wildcard instead of one catalog
  AUTH_FOREIGN_IMPORT: 403, // An import that is not in the Natster template
  AUTH_IMPORT_CONFLICT: 409, // The catalog name is already imported from another account
  AUTH_LIMITS_RAISED: 403, // A limit above the template's maximum
  AUTH_BAD_SIGNING_KEY: 403, // Signing keys must be account keys other than the account itself
  AUTH_RESERVED_ACCOUNT: 403, // The operator, system and service accounts are not for users
  AUTH_PUSH_FAILED: 502, // The resolver did not accept the account JWT

  CATALOG_EXISTS: 409, // A catalog with this name already exists in NATSTER_HOME
  CATALOG_CORRUPT: 500, // The catalog file is not a valid catalog
  PATH_OUTSIDE_ROOT: 403, // A catalog entry resolves outside its root (traversal or symlink); never served
  CONTENT_CHANGED: 409, // The file changed since it was catalogued; it is re-indexed under its new hash

  TIMEOUT: 504, // Nothing answered in time; the message says what to check
  CATALOG_OFFLINE: 503, // Nobody serves this catalog right now (no responders)
  RANGE_NOT_SATISFIABLE: 416, // The requested offset/length lies outside the file
  PLAINTEXT_REFUSED: 403, // This catalog server only sends encrypted transfers
  KEY_REJECTED: 422, // The sealed transfer key does not open with the receiver's xkey
  CHUNK_REJECTED: 422, // A chunk failed authentication, arrived out of order or broke flow control
  HASH_MISMATCH: 422, // The received bytes do not hash to the catalog's SHA-256; nothing was kept
  TRANSFER_STALLED: 408, // The other side of a transfer went silent, so it was stopped
  TRANSFER_CANCELLED: 499, // The transfer was cancelled by the receiver, its caller or the server
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export class NatsterError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = `NatsterError [${code}]`;
    this.status = ErrorCodes[code];
  }
}

export const isErrorCode = (s: unknown): s is ErrorCode => typeof s === "string" && s in ErrorCodes;
