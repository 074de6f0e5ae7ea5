import type { Command } from "commander";
import { connectAsContext } from "../context/resolve.ts";
import { GlobalClient } from "../global-client.ts";
import { emit, type GlobalOptions } from "../output.ts";

export function registerWhoami(program: Command, globals: () => GlobalOptions): void {
  program
    .command("whoami")
    .description("show your account and whether the global service knows it")
    .action(async () => {
      const g = globals();
      const { nc, ctx } = await connectAsContext(g, "natster_gsclient");
      try {
        const me = await new GlobalClient(nc).whoami();
        const initialized = me?.initialized ? new Date(me.initialized * 1000).toISOString() : "(never)";
        emit(
          g,
          {
            account: ctx.account_public_key,
            name: ctx.account_name,
            initialized_at: me?.initialized ?? null,
            creds: ctx.creds,
            server: ctx.nats_url,
          },
          () =>
            [
              `Account:        ${ctx.account_public_key}`,
              `Name:           ${ctx.account_name}`,
              `Initialized at: ${initialized}`,
              `Credentials:    ${ctx.creds}`,
              `Server:         ${ctx.nats_url}`,
            ].join("\n"),
        );
      } finally {
        await nc.close();
      }
    });
}
