import { NONE, Stores, type OtcClaimReply, type OtcRecord } from "@natster/protocol";
import { kvJson } from "nex-fn";
import { defineApi } from "../../_lib/src/api.ts";
import { randomBytes } from "../../_lib/src/entropy.ts";
import { appendEvent } from "../../_lib/src/event-log.ts";
import { parseJson } from "../../_lib/src/input.ts";
import { deleteMessage, getMessage, messageText } from "../../_lib/src/jetstream-api.ts";
import { reject } from "../../_lib/src/rejection.ts";
import { initializedAt, loadAccount, loadConfig } from "../../_lib/src/state.ts";
import {
  CODE_LENGTH,
  claimableRecord,
  codeFromBytes,
  countGeneration,
  generateReply,
  otcRateKey,
  parseClaim,
  parseGenerate,
  requireClaimer,
  type OtcRate,
} from "./core.ts";

const CODES_STREAM = `KV_${Stores.codes}`;
const now = () => Math.floor(Date.now() / 1000);

export default defineApi({
  generate: ({ caller, payload }) => {
    const { sealed } = parseGenerate(parseJson(payload));
    const config = loadConfig();
    if (initializedAt(caller, loadAccount(caller)) <= 0)
      reject("NOT_INITIALIZED", "this account is not initialized; run `natster init` first");
    const codes = kvJson(Stores.codes);
    codes.put(otcRateKey(caller), countGeneration(codes.get<OtcRate>(otcRateKey(caller)), now()));
    const code = codeFromBytes(randomBytes(CODE_LENGTH));
    const record: OtcRecord = { account: caller, sealed, created_at: now() };
    codes.put(code, record);
    return generateReply(code, config);
  },

  // Single use: read the code's KV message, then delete exactly that sequence. Of two concurrent
  // claims only the one whose delete succeeds wins; the host KV API has no compare-and-delete.
  claim: ({ caller, payload }) => {
    const config = loadConfig();
    requireClaimer(caller, config);
    const code = parseClaim(parseJson(payload));
    const message = getMessage(CODES_STREAM, { last_by_subj: `$KV.${Stores.codes}.${code}` });
    const record = claimableRecord(message && messageText(message), now(), config.otc_ttl_ms);
    if (!message || !deleteMessage(CODES_STREAM, message.seq)) reject("NOT_FOUND", "this login code was already used");
    appendEvent({ from: record.account, to: NONE, catalog: NONE, type: "context_bound", data: { bound_at: now() } });
    const reply: OtcClaimReply = { account: record.account, sealed: record.sealed };
    return reply;
  },
});
