import type { Host, LegacyHostServices, NexGlobals } from "./types.ts";

type MaybeHostGlobals = Partial<NexGlobals> & { hostServices?: LegacyHostServices };

/**
 * The host services of the current Nex context, resolved on every call because each invocation
 * runs in a fresh context. Only `kv` is probed: older hosts (and emulators with http disabled)
 * lack some services, which then fail only when used. Under Nex 0.2 (`hostServices.*`) the
 * bucket argument is ignored: there is one implicit bucket per workload.
 */
export function host(): Host {
  const g = globalThis as MaybeHostGlobals;
  if (g.kv) return g as Host;
  const hs = g.hostServices;
  if (hs) {
    return { ...hs, kv: () => hs.kv, objectStore: () => hs.objectStore };
  }
  throw new Error("nex-fn: not running under Nex");
}
