import type { NatsConnection } from "@nats-io/nats-core";
import {
  NatsterError,
  requestEnvelope,
  Subjects,
  type AppliedReply,
  type CatalogShareSummary,
  type GlobalOp,
  type NatsterEventRequest,
  type OtcGenerateReply,
  type PutEventReply,
  type StatsReply,
  type ValidateNameReply,
  type WhoamiReply,
} from "@natster/protocol";

/** The global service as a user account reaches it (through its `natster.global.>` import). */
export class GlobalClient {
  constructor(
    private readonly nc: NatsConnection,
    private readonly timeoutMs = 5000,
  ) {}

  #call<T>(op: GlobalOp, body: unknown): Promise<T> {
    return requestEnvelope<T>(this.nc, Subjects.global(op), body, this.timeoutMs);
  }

  /** undefined when the account was never initialized (upstream's 404). */
  async whoami(): Promise<WhoamiReply | undefined> {
    try {
      return await this.#call<WhoamiReply>("whoami", undefined);
    } catch (e) {
      if (e instanceof NatsterError && e.code === "NOT_FOUND") return undefined;
      throw e;
    }
  }

  /** Appends the event; resolves with where the log stored it. */
  putEvent(event: NatsterEventRequest): Promise<PutEventReply> {
    return this.#call<PutEventReply>("events.put", event);
  }

  applied(seq: number): Promise<AppliedReply> {
    return this.#call<AppliedReply>("my.applied", { seq });
  }

  /**
   * Read-your-writes: resolves true once every projection that consumes event `seq` has applied it
   * (so `my.shares` and the catalog servers see it), false if that takes longer than `timeoutMs`.
   */
  async waitApplied(seq: number, timeoutMs = 5000, pollMs = 10): Promise<boolean> {
    for (const deadline = Date.now() + timeoutMs; ; ) {
      if ((await this.applied(seq)).applied) return true;
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  myShares(): Promise<CatalogShareSummary[]> {
    return this.#call<CatalogShareSummary[] | null>("my.shares", undefined).then((s) => s ?? []);
  }

  validateName(name: string): Promise<ValidateNameReply> {
    return this.#call<ValidateNameReply>("catalogs.validatename", new TextEncoder().encode(name));
  }

  otcGenerate(sealed: string): Promise<OtcGenerateReply> {
    return this.#call<OtcGenerateReply>("otc.generate", { sealed });
  }

  stats(): Promise<StatsReply> {
    return this.#call<StatsReply>("stats", undefined);
  }
}
