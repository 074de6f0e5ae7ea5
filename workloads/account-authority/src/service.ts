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
  type AuthorityPayload,
  type Envelope,
  type RevokeReply,
} from "@natster/protocol";
import { setTimeout as sleep } from "node:timers/promises";
import { LocalLocks, type AccountLocks } from "./account-locks.ts";
import { AUTHORITY_LIMITS, type AuthorityLimits } from "./limits.ts";
import { NonceGate } from "./nonce-gate.ts";
import type { NonceStore } from "./nonce-store.ts";
import { REQUEST_INFO_HEADER, requestSource } from "./request-source.ts";
import { readBrowserUser } from "./user-jwt.ts";
import {
  claimsFromPlan,
  planCreate,
  planFromClaims,
  planImportsAdd,
  planImportsRemove,
  planRevoke,
  samePlan,
  type AccountPlan,
  type AuthorityContext,
} from "./plan.ts";
import { openSignedRequest, openUserLogout } from "./signed-request.ts";

export type AuthorityOptions = {
  /** Connection in the public account where callers reach `natster.authority.>`. */
  service: NatsConnection;
  /** SYS connection used to look up and push account JWTs. */
  sys: NatsConnection;
  operatorSigner: KeyPair;
  context: AuthorityContext;
  /** In memory by default; a shared bucket (KvNonceBook) when several instances run. */
  nonces?: NonceStore;
  /** One change of an account at a time: in this process by default; KvAccountLocks across instances. */
  locks?: AccountLocks;
  limits?: AuthorityLimits;
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
  const gate = new NonceGate(opts.limits ?? AUTHORITY_LIMITS, opts.nonces);
  const log = opts.log ?? (() => undefined);
  const locks = opts.locks ?? new LocalLocks();
  const serialized = <T>(account: string, work: () => Promise<T>): Promise<T> => locks.run(account, work);

  async function currentPlan(account: string, name?: string): Promise<{ plan?: AccountPlan; iat: number }> {
    const jwt = await lookupAccountJwt(opts.sys, account);
    if (!jwt) return { iat: 0 };
    const claims = decode<Account>(jwt);
    return { plan: planFromClaims(account, opts.context, name ?? claims.name, claims.nats), iat: claims.iat };
  }

  async function apply(
    account: string,
    plan: AccountPlan,
    previous: { plan?: AccountPlan; iat: number },
  ): Promise<AccountReply> {
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

  /** Revokes users of `account`, each read from its JWT, which an account signing key must have issued. */
  async function revoke(account: string, jwts: unknown): Promise<RevokeReply> {
    if (!Array.isArray(jwts) || jwts.length === 0 || jwts.length > 64)
      throw new NatsterError("BAD_REQUEST", "users must hold 1 to 64 user JWTs");
    const users = jwts.map((jwt) => readBrowserUser(jwt, verify));
    return serialized(account, async () => {
      const previous = await currentPlan(account);
      if (!previous.plan) throw new NatsterError("NOT_FOUND", "the account does not exist");
      const issuers = new Set([account, ...previous.plan.signing_keys]);
      for (const u of users) {
        if (u.account !== account || !issuers.has(u.issuer)) {
          throw new NatsterError(
            "AUTH_BAD_USER_JWT",
            `user ${u.user} was not issued by this account or its signing keys`,
          );
        }
      }
      const keys = users.map((u) => u.user);
      const next = planRevoke(previous.plan, keys, Math.floor(Date.now() / 1000));
      const applied = await apply(account, next, previous);
      if (applied.changed) log(`revoked ${keys.length} user(s) of account ${account}`);
      return { account, revoked: keys, changed: applied.changed };
    });
  }

  async function logout(data: Uint8Array): Promise<RevokeReply> {
    const payload = openUserLogout(data, verify);
    await gate.consume(payload.nonce);
    const user = readBrowserUser(payload.jwt, verify);
    if (user.user !== payload.user)
      throw new NatsterError("AUTH_BAD_USER_JWT", "a browser user may only revoke itself");
    return revoke(user.account, [payload.jwt]);
  }

  async function handle(op: AuthorityPayload["op"], data: Uint8Array): Promise<AccountReply | RevokeReply> {
    const payload: AuthorityPayload = openSignedRequest(data, op, verify);
    await gate.consume(payload.nonce);
    if (payload.op === "users.revoke") return revoke(payload.account, payload.users);
    return serialized(payload.account, async () => {
      const previous = await currentPlan(payload.account);
      switch (payload.op) {
        case "account.create":
          return apply(payload.account, planCreate(payload, opts.context, previous.plan), previous);
        case "imports.add":
        case "imports.remove": {
          if (!previous.plan)
            throw new NatsterError("NOT_FOUND", "the account does not exist; run `natster init` first");
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

  const endpoint =
    (op: string, work: (msg: ServiceMsg) => Promise<unknown>) => (err: Error | null, msg: ServiceMsg) => {
      if (err) return;
      work(msg).then(
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
  const signed = (op: AuthorityPayload["op"]) => endpoint(op, (msg) => handle(op, msg.data));
  service.addEndpoint("nonce", {
    subject: Subjects.authority.nonce,
    handler: endpoint("nonce", async (msg) =>
      gate.issue(requestSource(msg.headers?.get(REQUEST_INFO_HEADER) || undefined)),
    ),
  });
  service.addEndpoint("account_create", {
    subject: Subjects.authority.accountCreate,
    handler: signed("account.create"),
  });
  service.addEndpoint("imports_add", { subject: Subjects.authority.importsAdd, handler: signed("imports.add") });
  service.addEndpoint("imports_remove", {
    subject: Subjects.authority.importsRemove,
    handler: signed("imports.remove"),
  });
  service.addEndpoint("users_revoke", { subject: Subjects.authority.usersRevoke, handler: signed("users.revoke") });
  service.addEndpoint("user_logout", {
    subject: Subjects.authority.userLogout,
    handler: endpoint("user.logout", (msg) => logout(msg.data)),
  });
  return service;
}
