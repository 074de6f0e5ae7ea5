import type { NatsConnection } from "@nats-io/nats-core";
import { ok, type CatalogShareSummary, Subjects } from "@natster/protocol";

const enc = new TextEncoder();
const dec = new TextDecoder();

export type ObservedGlobalMessage = { from: string; op: string; body: unknown };

/**
 * Stands in for the global service inside NATSTER_GLOBAL: answers `my.shares` from a list the
 * test controls and records every heartbeat/offline, with the caller key NATS put in token 1.
 */
export class GlobalStandIn {
  shares: CatalogShareSummary[] = [];
  readonly observed: ObservedGlobalMessage[] = [];
  sharesRequests = 0;

  constructor(private readonly nc: NatsConnection) {}

  async start(): Promise<this> {
    // The global service receives `natster.global.<CALLER>.<op>` (the caller in token 3).
    this.nc.subscribe(Subjects.globalFromCaller("*", "my.shares"), {
      callback: (_e, msg) => {
        const caller = msg.subject.split(".")[2] ?? "";
        this.sharesRequests++;
        msg.respond(
          enc.encode(
            JSON.stringify(ok(this.shares.filter((s) => s.from_account === caller || s.to_account === caller))),
          ),
        );
      },
    });
    this.nc.subscribe(Subjects.globalFromCaller("*", "heartbeats.*"), {
      callback: (_e, msg) => {
        const [, , from = "", , op = ""] = msg.subject.split(".");
        this.observed.push({ from, op, body: JSON.parse(dec.decode(msg.data)) });
      },
    });
    await this.nc.flush();
    return this;
  }

  share(from: string, to: string, catalog: string): void {
    this.shares.push({ from_account: from, to_account: to, catalog, catalog_online: true, revision: 0 });
  }

  unshare(from: string, to: string, catalog: string): void {
    this.shares = this.shares.filter((s) => !(s.from_account === from && s.to_account === to && s.catalog === catalog));
  }

  heartbeatsFrom(account: string, op: "put" | "offline" = "put"): unknown[] {
    return this.observed.filter((m) => m.from === account && m.op === op).map((m) => m.body);
  }
}
