/**
 * Type-checking stand-in for the parts of @natster/protocol the page uses (web/tsconfig.json maps
 * the package here; Vite and Vitest use the real package). Needed while the package's WebCrypto
 * calls pass `Uint8Array<ArrayBufferLike>` where TypeScript 5.9's DOM lib wants `BufferSource`:
 * fine at run time, a type error under the DOM lib. Keep the signatures identical to the source;
 * drop the mapping once `packages/protocol` type-checks with `lib: ["DOM"]`.
 */
declare module "@natster/protocol" {
  export type ErrorCode =
    | "BAD_JSON" | "BAD_REQUEST" | "PAYLOAD_TOO_LARGE" | "BAD_ACCOUNT_KEY" | "BAD_CATALOG_NAME" | "UNKNOWN_VERB" | "NOT_FOUND"
    | "FORBIDDEN" | "INTERNAL" | "NOT_INITIALIZED" | "ALREADY_INITIALIZED" | "DUPLICATE" | "NAME_TAKEN" | "SELF_SHARE"
    | "AUTH_BAD_SIGNATURE" | "AUTH_NONCE_UNKNOWN" | "AUTH_FOREIGN_EXPORT" | "AUTH_IMPORT_TOKEN" | "AUTH_WILDCARD_IMPORT"
    | "AUTH_FOREIGN_IMPORT" | "AUTH_IMPORT_CONFLICT" | "AUTH_LIMITS_RAISED" | "AUTH_BAD_SIGNING_KEY" | "AUTH_RESERVED_ACCOUNT"
    | "AUTH_PUSH_FAILED" | "CATALOG_EXISTS" | "CATALOG_CORRUPT" | "PATH_OUTSIDE_ROOT" | "CONTENT_CHANGED" | "TIMEOUT"
    | "CATALOG_OFFLINE" | "RANGE_NOT_SATISFIABLE" | "PLAINTEXT_REFUSED" | "KEY_REJECTED" | "CHUNK_REJECTED" | "HASH_MISMATCH"
    | "TRANSFER_STALLED" | "TRANSFER_CANCELLED" | "OUTPUT_EXISTS" | "BAD_CONTEXT_NAME" | "AUTH_BAD_USER_JWT"
    | "AUTH_TOO_MANY_REVOCATIONS" | "AUTH_ACCOUNT_BUSY" | "NONCE_RATE_LIMITED" | "NONCE_BOOK_FULL" | "CATALOG_RATE_LIMITED" | "OTC_RATE_LIMITED";

  export class NatsterError extends Error {
    readonly code: ErrorCode;
    readonly status: number;
    constructor(code: ErrorCode, message: string);
  }
  export function isErrorCode(s: unknown): s is ErrorCode;
  export function normalizeCatalogName(s: string): string;
  export function openLogin(sealed: string, key: string): Promise<string>;
  export function sealLogin(creds: string): Promise<{ sealed: string; key: string }>;
  export type UserLogoutPayload = { op: "user.logout"; user: string; nonce: string; jwt: string };
  export function signRequest(payload: UserLogoutPayload, sign: (data: Uint8Array) => Uint8Array): { payload: string; sig: string };

  export type Heartbeat = { catalog: string; account_key: string; revision: number };
  export type CatalogShareSummary = { from_account: string; to_account: string; catalog: string; catalog_online: boolean; revision: number; from_name?: string; to_name?: string };
  export type ShareNotification = { from_account: string; to_account: string; catalog: string };
  export type OfflineNotification = { catalog: string; account_key: string };
  export type OtcClaimReply = { account: string; sealed: string };
  export type DownloadReply = {
    version: 2;
    transfer_id: string;
    acknowledged: true;
    chunk_size: number;
    total_chunks: number;
    sender_xkey: string;
    total_bytes: number;
    sealed_key: string;
    cipher: "aes-256-gcm" | "none";
    offset: number;
    length: number;
    hash: string;
    mime_type: string;
    stall_timeout_ms?: number;
  };
}
