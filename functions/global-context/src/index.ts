import { defineApi } from "../../_lib/src/api.ts";
import { initializedAt, loadAccount } from "../../_lib/src/state.ts";
import { contextReply } from "./core.ts";

export default defineApi({
  get: ({ caller }) => {
    const account = loadAccount(caller);
    return contextReply(caller, initializedAt(caller, account), account);
  },
});
