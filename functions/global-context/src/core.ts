import type { AccountProjection, ContextReply } from "@natster/protocol";
import { reject } from "../../_lib/src/rejection.ts";

/** `context.get`: the caller's own context only; nobody reads another account's binding. */
export function contextReply(
  caller: string,
  initializedAt: number,
  account: AccountProjection | undefined,
): ContextReply {
  if (initializedAt <= 0) reject("NOT_FOUND", "this account is not initialized; run `natster init`");
  const reply: ContextReply = { account_key: caller, initialized_at: initializedAt };
  if (account?.bound_context) reply.bound_context = { bound_at: account.bound_context.bound_at };
  return reply;
}
