import { Stores, type CatalogProjection } from "@natster/protocol";
import { kvJson } from "nex-fn";
import { defineApi } from "../../_lib/src/api.ts";
import { loadConfig } from "../../_lib/src/state.ts";
import { parseCatalogNameBody, validateName } from "./core.ts";

export default defineApi({
  validatename: ({ caller, payload }) => {
    const name = parseCatalogNameBody(payload);
    const owner = kvJson(Stores.catalogProjection).get<CatalogProjection>(name)?.owner;
    return validateName(name, caller, owner, loadConfig());
  },
});
