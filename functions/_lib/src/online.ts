import { Stores } from "@natster/protocol";
import { kvJson, parseHostError } from "nex-fn";

/**
 * How many catalogs are online. The real 0.x host's `keys()` fails on an empty bucket (nats.go
 * ErrNoKeysFound becomes "failed to resolve keys"), which here means none.
 */
export function onlineCount(): number {
  try {
    return kvJson(Stores.online).keys().length;
  } catch (e) {
    if (parseHostError(e).message === "failed to resolve keys") return 0;
    throw e;
  }
}
