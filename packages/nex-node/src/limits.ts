/** Every limit and timeout of Nex 0.3.0-rc1 / ec4c2b4 the local node reproduces (nex-contract.md §1.6). */
export const NEX_VERSION = "0.3.0-natster-local";

/** `v8MaxFileSizeBytes` (agent/providers/lib/v8.go). */
export const V8_MAX_BUNDLE_BYTES = 12_288;
/** `v8ExecutionTimeoutMillis`. */
export const V8_EXECUTION_TIMEOUT_MS = 5_000;

export const KV_OP_TIMEOUT_MS = 1_500;
export const OBJECT_OP_TIMEOUT_MS = 1_500;
export const MESSAGING_REQUEST_TIMEOUT_MS = 750;
export const HTTP_TIMEOUT_MS = 2_500;
/** Auto-provisioned host-service KV and object buckets. */
export const HOST_BUCKET_MAX_BYTES = 524_288;

/** Native stop: SIGINT, then SIGKILL after this long (internal/stop_process.go). */
export const NATIVE_STOP_GRACE_MS = 5_000;

/** `nex devrun --bucketmaxbytes` default for NEXCLIFILES. */
export const NEXCLIFILES_MAX_BYTES = 100 * 1024 * 1024;
export const NEXCLIFILES_BUCKET = "NEXCLIFILES";

/** Always denied as trigger subjects (internal/models/config.go:29). */
export const ALWAYS_DENIED_TRIGGER_SUBJECTS = ["$SYS.>", "$JS.>", "$NEX.>"] as const;

export const WORKLOAD_NAME_PATTERN = /^[a-zA-Z0-9_-]+$/;
