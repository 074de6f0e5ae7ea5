export type EchoReply = { triggered_on: string; payload: string };

/** The upstream Nex echo example: reply with the trigger subject and the payload text. */
export function echo(subject: string, payload: string): EchoReply {
  return { triggered_on: subject, payload };
}
