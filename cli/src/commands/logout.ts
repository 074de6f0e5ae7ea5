import { connectWithCreds } from "@natster/node-kit";
import { NatsterError } from "@natster/protocol";
import type { Command } from "commander";
import { AuthorityClient } from "../accounts/authority-client.ts";
import { loginsToRevoke, readLogins, writeLogins } from "../accounts/browser-logins.ts";
import { loadOrCreateKeys } from "../context/context-store.ts";
import { contextName, home, requireContext, requireStack } from "../context/resolve.ts";
import { emit, type GlobalOptions } from "../output.ts";
import { count } from "../plural.ts";

/**
 * `natster logout [--all]`: revokes browser logins through the authority, in a request signed by
 * the account key. nats-server then closes their open connections and refuses them from then on.
 */
export function registerLogout(program: Command, globals: () => GlobalOptions): void {
  program
    .command("logout")
    .description("log out the browser you logged in last (--all: every browser login of this context)")
    .option("--all", "revoke every browser login that has not expired")
    .action(async (o: { all?: boolean }) => {
      const g = globals();
      const ctx = requireContext(g);
      const name = contextName(g);
      const live = readLogins(home(), name);
      const revoking = loginsToRevoke(live, o.all === true);
      if (revoking.length === 0) {
        emit(
          g,
          { account: ctx.account_public_key, revoked: [] },
          () => "No browser login to log out (none is live for this context).",
        );
        return;
      }
      const keys = loadOrCreateKeys(home(), name, () => {
        throw new NatsterError("NOT_INITIALIZED", "the account keys are missing: run `natster init`");
      });
      const stack = requireStack();
      const signup = await connectWithCreds(
        g.server ?? ctx.nats_url,
        new TextEncoder().encode(stack.public_creds),
        "natster_logout",
      );
      try {
        const reply = await new AuthorityClient(signup).revokeUsers(
          keys.account,
          revoking.map((l) => l.jwt),
        );
        const gone = new Set(reply.revoked);
        writeLogins(
          home(),
          name,
          live.filter((l) => !gone.has(l.user)),
        );
        emit(g, { account: reply.account, revoked: reply.revoked }, () =>
          [
            `Logged out ${count(reply.revoked.length, "browser login")}; their connections are closed and their credentials refused.`,
            ...reply.revoked.map((u) => `  ${u}`),
          ].join("\n"),
        );
      } finally {
        await signup.close();
      }
    });
}
