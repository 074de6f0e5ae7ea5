export * from "./accounts.ts";
export * from "./envelope.ts";
export * from "./errors.ts";
export * from "./keys.ts";
export * from "./names.ts";
export * from "./subjects.ts";
export * from "./authority.ts";
export * from "./jetstream-trigger.ts";
