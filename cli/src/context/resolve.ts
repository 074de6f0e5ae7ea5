import type { NatsConnection } from "@nats-io/nats-core";
import { connectWithCreds } from "@natster/node-kit";
import { NatsterError } from "@natster/protocol";
import { readFileSync } from "node:fs";
import { readClientInfo, stackServers, type StackClientInfo, clientInfoPath, natsterHome } from "@natster/identity";
import type { GlobalOptions } from "../output.ts";
import { checkContextName, readContext, type NatsterContext } from "./context-store.ts";

export const home = (): string => natsterHome(process.env);
export const contextName = (g: GlobalOptions): string => checkContextName(g.context ?? "default");

/** The stack `natster up` announced, or a clear error naming what to do. */
export function requireStack(): StackClientInfo {
  const info = readClientInfo(clientInfoPath(process.env));
  if (!info) {
    throw new NatsterError(
      "NOT_FOUND",
      `no stack found: ${clientInfoPath(process.env)} is missing. Copy the stack's stack-client.json there ` +
        "(from the machine that ran `natster up`: its ~/.natster/stack-client.json), or start a stack on this machine with `natster up`",
    );
  }
  return info;
}

export function requireContext(g: GlobalOptions): NatsterContext {
  const ctx = readContext(home(), contextName(g));
  if (!ctx)
    throw new NatsterError(
      "NOT_INITIALIZED",
      `no context '${contextName(g)}' in ${home()}: run \`natster init\` first`,
    );
  return ctx;
}

/** --server, then NATS_URL, then the context's servers, then every server of the local stack (comma-separated). */
export function serverUrl(g: GlobalOptions, ctx?: NatsterContext): string {
  return g.server ?? ctx?.nats_url ?? stackServers(requireStack());
}

export async function connectAsContext(
  g: GlobalOptions,
  connectionName: string,
): Promise<{ nc: NatsConnection; ctx: NatsterContext }> {
  const ctx = requireContext(g);
  const nc = await connectWithCreds(serverUrl(g, ctx), readFileSync(ctx.creds), connectionName).catch((e: unknown) => {
    throw new NatsterError(
      "INTERNAL",
      `cannot reach NATS at ${serverUrl(g, ctx)} (${(e as Error).message}): is the stack up? (natster status)`,
    );
  });
  return { nc, ctx };
}
