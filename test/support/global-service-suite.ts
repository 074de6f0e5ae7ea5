import { Kvm, type KV } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/nats-core";
import { Stores, type CatalogShareSummary } from "@natster/protocol";
import { publicAuthorityClient } from "./authority.ts";
import { startFullStack, type FullStack } from "./full-stack.ts";
import { initialize, newMember, requestRaw, type Member } from "./global-service.ts";

/**
 * A full stack (functions on its Nex node, the trigger bridge feeding the projections) and named
 * user accounts that call `natster.global.*` through their own imports.
 */
export type GlobalServiceSuite<Name extends string> = {
  stack: FullStack;
  global: NatsConnection;
  publicNc: NatsConnection;
  accounts: KV;
  catalogs: KV;
  /** The stack's hub account, which auto-shares its catalog with every account that inits. */
  hub: string;
  members: Record<Name, Member>;
  /** The keys of the members initialized so far (specs that initialize one push it here). */
  initialized: string[];
  stop: () => Promise<void>;
};

/** Starts the stack, creates every named member and initializes `initializedNames`, in that order. */
export async function startGlobalServiceSuite<Name extends string>(
  names: readonly Name[],
  initializedNames: readonly Name[],
): Promise<GlobalServiceSuite<Name>> {
  const stack = await startFullStack();
  try {
    const global = await stack.connect("global", "test-global");
    const publicNc = await stack.connect("public", "test-public");
    const kvm = new Kvm(global);
    const accounts = await kvm.open(Stores.accountProjection);
    const catalogs = await kvm.open(Stores.catalogProjection);
    const authority = await publicAuthorityClient(stack);
    const made = await Promise.all(names.map((n) => newMember(stack, authority, n)));
    const members = Object.fromEntries(names.map((n, i) => [n, made[i]!])) as Record<Name, Member>;
    const initialized: string[] = [];
    for (const name of initializedNames) {
      await initialize(members[name]);
      initialized.push(members[name].key);
    }
    const hub = stack.identity.accounts.HUB.public_key;
    return { stack, global, publicNc, accounts, catalogs, hub, members, initialized, stop: () => stack.stop() };
  } catch (e) {
    await stack.stop();
    throw e;
  }
}

/** A raw `events.put` (the envelope as the function answers it). */
export const put = (m: Member, event_type: string, catalog: string, target: string, data: unknown = null) =>
  requestRaw(m.nc, "natster.global.events.put", { event_type, catalog, target, data });
export const share = (m: Member, catalog: string, target: string) =>
  m.global.putEvent({ catalog, target, event_type: "catalog_shared", data: null });
export const unshare = (m: Member, catalog: string, target: string) =>
  m.global.putEvent({ catalog, target, event_type: "catalog_unshared", data: null });
export const heartbeat = (m: Member, body: unknown) => requestRaw(m.nc, "natster.global.heartbeats.put", body);

export type ShareSummaryOf = (
  from: Member | string,
  to: Member | string,
  catalog: string,
  online?: boolean,
  revision?: number,
) => CatalogShareSummary;

/** A `my.shares` entry as the function lists it, for a stack whose hub account is `hub`. */
export const shareSummaryOf =
  (hub: string): ShareSummaryOf =>
  (from, to, catalog, online = false, revision = 0) => ({
    from_account: typeof from === "string" ? from : from.key,
    to_account: typeof to === "string" ? to : to.key,
    catalog,
    catalog_online: online,
    revision,
    // The stack's hub never runs init; my.shares labels it (issue 18). These members gave no name.
    ...(from === hub ? { from_name: "Natster hub" } : {}),
  });
