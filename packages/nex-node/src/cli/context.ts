import type { NatsConnection } from "@nats-io/nats-core";
import { credsAuthenticator } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { readFileSync } from "node:fs";
import { DEFAULT_TIMEOUT_MS } from "../client/control-client.ts";
import { parseDurationMs } from "./args.ts";

/** The global flags of 0.x `nex` (nex/nex.go:79-102) this CLI honours. */
export type GlobalFlags = { server?: string; creds?: string; namespace: string; timeout?: string; json?: boolean };

export type CliContext = {
  flags: GlobalFlags;
  namespace: string;
  timeoutMs: number;
  credsText?: string;
  server: string;
};

export function cliContext(flags: GlobalFlags): CliContext {
  return {
    flags,
    namespace: flags.namespace,
    timeoutMs: flags.timeout ? parseDurationMs(flags.timeout) : DEFAULT_TIMEOUT_MS,
    credsText: flags.creds ? readFileSync(flags.creds, "utf8") : undefined,
    server: flags.server ?? "nats://127.0.0.1:4222",
  };
}

export function connectCli(ctx: CliContext, name: string): Promise<NatsConnection> {
  const authenticator = ctx.credsText ? credsAuthenticator(new TextEncoder().encode(ctx.credsText)) : undefined;
  return connect({ servers: ctx.server.split(","), name, authenticator, maxReconnectAttempts: -1 });
}

/** Runs `work` with a connection that is always closed afterwards. */
export async function withConnection<T>(
  ctx: CliContext,
  name: string,
  work: (nc: NatsConnection) => Promise<T>,
): Promise<T> {
  const nc = await connectCli(ctx, name);
  try {
    return await work(nc);
  } finally {
    await nc.close();
  }
}
