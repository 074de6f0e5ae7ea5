import { latin1, requestJson, text } from "nex-fn";
import { base64Bytes } from "./base64.ts";

/**
 * The JetStream API reached with plain `messaging.request`: the 0.x host services have no
 * stream calls and no compare-and-delete, but the `$JS.API.*` subjects answer any request.
 */

/** A stored message as `$JS.API.STREAM.MSG.GET` returns it (data and hdrs are base64). */
export type StoredMessage = { subject: string; seq: number; time: string; data?: string; hdrs?: string };
type ApiError = { code?: number; err_code?: number; description?: string };

/** JetStream's "no message found" (10037); every other API error is a failure. */
const NO_MESSAGE_FOUND = 10037;

export type MessageQuery = { last_by_subj: string } | { seq: number; next_by_subj?: string };

export function getMessage(stream: string, query: MessageQuery): StoredMessage | undefined {
  const reply = requestJson<{ message?: StoredMessage; error?: ApiError }>(`$JS.API.STREAM.MSG.GET.${stream}`, query);
  if (reply.message) return reply.message;
  if (reply.error?.err_code === NO_MESSAGE_FOUND) return undefined;
  throw new Error(`JetStream message get on ${stream} failed: ${reply.error?.description ?? "no answer"}`);
}

/** True only for the one caller whose delete removed the message. */
export function deleteMessage(stream: string, seq: number): boolean {
  return (
    requestJson<{ success?: boolean }>(`$JS.API.STREAM.MSG.DELETE.${stream}`, { seq, no_erase: true }).success === true
  );
}

/** The message body as text; undefined for a KV delete or purge marker. */
export function messageText(message: StoredMessage): string | undefined {
  const marker = message.hdrs !== undefined && latin1(base64Bytes(message.hdrs) ?? []).includes("KV-Operation");
  const bytes = marker ? undefined : base64Bytes(message.data ?? "");
  return bytes && text(bytes);
}
