import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import { connectWithCreds } from "@natster/node-kit";
import { readFileSync } from "node:fs";

export type TappedMessage = { subject: string; text: string };

/**
 * Everything published in one account for as long as it is open: a subscriber on `>` and on
 * `$NEX.>` (the Nex control plane), payloads and headers kept as text for searching.
 */
export class AccountTap {
  readonly messages: TappedMessage[] = [];
  private readonly subs: Subscription[];

  private constructor(private readonly nc: NatsConnection) {
    this.subs = [">", "$NEX.>"].map((subject) =>
      nc.subscribe(subject, {
        callback: (_e, m) => {
          const headers = m.headers
            ? [...m.headers.keys()].map((k) => `${k}: ${m.headers?.get(k) ?? ""}`).join("\n")
            : "";
          this.messages.push({ subject: m.subject, text: `${Buffer.from(m.data).toString("latin1")}\n${headers}` });
        },
      }),
    );
  }

  static async open(natsUrl: string, credsFile: string): Promise<AccountTap> {
    const nc = await connectWithCreds(natsUrl, readFileSync(credsFile), "e2e-account-tap");
    const tap = new AccountTap(nc);
    await nc.flush();
    return tap;
  }

  /** Messages whose subject, payload or headers contain `needle`. */
  containing(needle: string): TappedMessage[] {
    return this.messages.filter((m) => m.subject.includes(needle) || m.text.includes(needle));
  }

  async close(): Promise<void> {
    for (const s of this.subs) s.unsubscribe();
    await this.nc.close();
  }
}
