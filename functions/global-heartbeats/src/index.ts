import { Stores, type OfflineNotification } from "@natster/protocol";
import { kvJson } from "nex-fn";
import { defineApi } from "../../_lib/src/api.ts";
import { parseJson } from "../../_lib/src/input.ts";
import { notifyAll } from "../../_lib/src/notify.ts";
import { onlineKey } from "../../_lib/src/addresses.ts";
import { loadAccount } from "../../_lib/src/state.ts";
import { fanOut, onlineEntry, parseHeartbeat, parseOffline } from "./core.ts";

// NATSTER_ONLINE is a TTL bucket: a catalog that stops heart-beating drops out by itself.
export default defineApi({
  put: ({ caller, payload }) => {
    const heartbeat = parseHeartbeat(caller, parseJson(payload));
    kvJson(Stores.online).put(
      onlineKey(caller, heartbeat.catalog),
      onlineEntry(heartbeat, Math.floor(Date.now() / 1000)),
    );
    notifyAll(fanOut(loadAccount(caller), heartbeat.catalog, "heartbeat", heartbeat));
    return "";
  },
  offline: ({ caller, payload }) => {
    const catalog = parseOffline(parseJson(payload));
    kvJson(Stores.online).del(onlineKey(caller, catalog));
    const notice: OfflineNotification = { catalog, account_key: caller };
    notifyAll(fanOut(loadAccount(caller), catalog, "offline", notice));
    return "";
  },
});
