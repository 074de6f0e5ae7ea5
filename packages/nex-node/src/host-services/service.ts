import type { HostCall } from "../v8/messages.ts";

/** A successful host answer: raw bytes for the function, or JSON it receives parsed. */
export type HostOk = { bytes?: Uint8Array; json?: string };

/** One host service: resolves or throws a HostServiceFailure. `value` is already mangled like the real host. */
export type HostService = (call: HostCall & { value?: Uint8Array }) => Promise<HostOk>;

export const jsonOk = (value: unknown): HostOk => ({ json: JSON.stringify(value) });
