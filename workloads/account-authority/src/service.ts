import { decode, encodeAccount, type Account } from "@nats-io/jwt";
import type { NatsConnection } from "@nats-io/nats-core";
import { fromPublic, type KeyPair } from "@nats-io/nkeys";
import { Svcm, type Service, type ServiceMsg } from "@nats-io/services";
import { lookupAccountJwt, pushAccountJwt } from "@natster/node-kit";
import {
  fail,
  NatsterError,
  ok,
  Subjects,
  type AccountReply,
  type AuthorityOp,
  type AuthorityPayload,
  type Envelope,
  type NonceReply,
} from "@natster/protocol";
import { setTimeout as sleep } from "node:timers/promises";
import { NonceBook } from "./nonces.ts";
import {
  claimsFromPlan,
  planCreate,
  planFromClaims,
  planImportsAdd,
  planImportsRemove,
  samePlan,
  type AccountPlan,
  type AuthorityContext,
} from "./plan.ts";
import { openSignedRequest } from "./signed-request.ts";

export type AuthorityOptions = {
  /** Connection in the public account where callers reach `natster.authority.>`. */
  service: NatsConnection;
  /** SYS connection used to look up and push account JWTs. */
  sys: NatsConnection;
  operatorSigner: KeyPair;
  context: AuthorityContext;
  nonces?: NonceBook;
  log?: (line: string) => void;
};

const enc = new TextEncoder();

const verify = (account: string, data: Uint8Array, sig: Uint8Array): boolean => {
  try {
    return fromPublic(account).verify(data, sig);
  } catch {
    return false;
  }
};

/** Starts the account authority micro service (`natster-authority`, visible through $SRV). */
export async function startAuthority(opts: AuthorityOptions): Promise<Service> {
  const nonces = opts.nonces ?? new NonceBook();
  const log = opts.log ?? (() => undefined);
  const locks = new Map<string, Promise<unknown>>();

  const serialized = <T>(account: string, work: () => Promise<T>): Promise<T> => {
    const previous = locks.get(account) ?? Promise.resolve();
    const next = previous.then(work, work);
    locks.set(account, next.catch(() => undefined));
    return next;
  };

  async function currentPlan(account: string, name?: string): Promise<{ plan?: AccountPlan; iat: number }> {
    const jwt = await lookupAccountJwt(opts.sys, account);
    if (!jwt) return { iat: 0 };
    const claims = decode<Account>(jwt);
    return { plan: planFromClaims(account, opts.context, name ?? claims.name, claims.nats), iat: claims.iat };
  }

  async function apply(account: string, plan: AccountPlan, previous: { plan?: AccountPlan; iat: number }): Promise<AccountReply> {
    if (previous.plan && samePlan(previous.plan, plan)) {
      const jwt = (await lookupAccountJwt(opts.sys, account)) ?? "";
      return { account, jwt, catalogs: plan.catalogs, changed: false };
    }
    // The resolver only takes a JWT issued after the one it holds; iat has one-second resolution.
    while (Math.floor(Date.now() / 1000) <= previous.iat) await sleep(50);
    const claims: Partial<Account> = claimsFromPlan(account, opts.context, plan);
    const jwt = await encodeAccount(plan.name, account, claims, { signer: opts.operatorSigner });
    try {
      await pushAccountJwt(opts.sys, jwt);
    } catch (e) {
      throw new NatsterError("AUTH_PUSH_FAILED", (e as Error).message);
    }
    log(`signed account ${account} (${plan.catalogs.length} catalog imports)`);
    return { account, jwt, catalogs: plan.catalogs, changed: true };
  }

  async function handle(op: AuthorityOp, data: Uint8Array): Promise<AccountReply> {
    const payload: AuthorityPayload = openSignedRequest(data, op, verify);
    if (!nonces.consume(payload.nonce)) {
      throw new NatsterError("AUTH_NONCE_UNKNOWN", "the nonce is unknown, expired or already used; ask for a new one");
    }
    return serialized(payload.account, async () => {
      const previous = await currentPlan(payload.account);
      switch (payload.op) {
        case "account.create":
          return apply(payload.account, planCreate(payload, opts.context, previous.plan), previous);
        case "imports.add":
        case "imports.remove": {
          if (!previous.plan) throw new NatsterError("NOT_FOUND", "the account does not exist; run `natster init` first");
          const next =
            payload.op === "imports.add"
              ? planImportsAdd(payload, opts.context, previous.plan)
              : planImportsRemove(payload, previous.plan);
          return apply(payload.account, next, previous);
        }
      }
    });
  }

  const respond = (msg: ServiceMsg, envelope: Envelope<unknown>) => msg.respond(enc.encode(JSON.stringify(envelope)));

  const endpoint = (op: AuthorityOp) => (err: Error | null, msg: ServiceMsg) => {
    if (err) return;
    handle(op, msg.data).then(
      (reply) => respond(msg, ok(reply)),
      (e: unknown) => {
        if (e instanceof NatsterError) return respond(msg, fail(e.status, e.code, e.message));
        log(`internal error on ${op}: ${(e as Error).stack ?? String(e)}`);
        return respond(msg, fail(500, "INTERNAL", "internal error"));
      },
    );
  };

  const service = await new Svcm(opts.service).add({
    name: "natster-authority",
    version: "0.1.0",
    description: "Signs Natster user accounts from the Natster template only",
    queue: "natster-authority",
  });
  service.addEndpoint("nonce", {
    subject: Subjects.authority.nonce,
    handler: (err, msg) => {
      if (err) return;
      respond(msg, ok<NonceReply>({ nonce: nonces.issue(), expires_in_ms: nonces.ttlMs }));
    },
  });
  service.addEndpoint("account_create", { subject: Subjects.authority.accountCreate, handler: endpoint("account.create") });
  service.addEndpoint("imports_add", { subject: Subjects.authority.importsAdd, handler: endpoint("imports.add") });
  service.addEndpoint("imports_remove", { subject: Subjects.authority.importsRemove, handler: endpoint("imports.remove") });
  return service;
}
