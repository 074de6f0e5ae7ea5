import {
  BROWSER_PERMISSIONS,
  DEFAULT_LOGIN_TTL_SECONDS,
  loginUrl,
  MAX_LOGIN_TTL_SECONDS,
  MIN_LOGIN_TTL_SECONDS,
  NatsterError,
  sealLogin,
} from "@natster/protocol";
import type { Command } from "commander";
import qrcode from "qrcode-terminal";
import { recordLogin } from "../accounts/browser-logins.ts";
import { mintUserCreds } from "../accounts/user-creds.ts";
import { loadOrCreateKeys } from "../context/context-store.ts";
import { connectAsContext, contextName, home } from "../context/resolve.ts";
import { GlobalClient } from "../global-client.ts";
import { emit, type GlobalOptions } from "../output.ts";

/**
 * `natster login`: a browser-only, short-lived, scoped user of your account, sealed under a random
 * key. Only the ciphertext goes to the global service (behind a one-time code); the key travels in
 * the URL fragment, which browsers never send to a server. Your CLI seed never leaves this machine.
 */
export function registerLogin(program: Command, globals: () => GlobalOptions): void {
  program
    .command("login")
    .description("print a one-time URL that logs a browser in to your account")
    .option("--qrcode", "also print the URL as a QR code")
    .option("--ttl <seconds>", "how long the browser login lasts", (v) => Number(v), DEFAULT_LOGIN_TTL_SECONDS)
    .action(async (o: { qrcode?: boolean; ttl: number }) => {
      if (!Number.isInteger(o.ttl) || o.ttl < MIN_LOGIN_TTL_SECONDS || o.ttl > MAX_LOGIN_TTL_SECONDS) {
        throw new NatsterError("BAD_REQUEST", "--ttl must be between 60 seconds and 7 days");
      }
      const g = globals();
      const { nc, ctx } = await connectAsContext(g, "natster_login");
      try {
        const keys = loadOrCreateKeys(home(), contextName(g), () => {
          throw new NatsterError("NOT_INITIALIZED", "the account keys are missing: run `natster init`");
        });
        const browser = await mintUserCreds(
          ctx.account_public_key,
          keys.signing,
          `${ctx.account_name}-browser`,
          BROWSER_PERMISSIONS,
          o.ttl,
        );
        const now = Math.floor(Date.now() / 1000);
        recordLogin(home(), contextName(g), {
          user: browser.user.getPublicKey(),
          jwt: browser.jwt,
          expires_at: now + o.ttl,
          created_at: Date.now(),
        });
        const { sealed, key } = await sealLogin(new TextDecoder().decode(browser.creds));
        const otc = await new GlobalClient(nc).otcGenerate(sealed);
        const url = loginUrl(otc.claim_url, key);
        emit(g, { code: otc.code, valid_minutes: otc.valid_minutes, url, expires_in_seconds: o.ttl }, () =>
          [
            `Login code generated: ${otc.code}`,
            `For the next ${otc.valid_minutes} minutes, open this URL once to log a browser in (the login then lasts ${Math.round(o.ttl / 3600)} h):`,
            "",
            `  ${url}`,
            "",
            "Everything after '#' stays in your browser; the server only ever sees the sealed credentials.",
            "`natster logout` (or Log out in the page) revokes this login; `natster logout --all` every one.",
          ].join("\n"),
        );
        if (o.qrcode && !g.json) qrcode.generate(url, { small: true }, (art) => process.stdout.write(`\n${art}\n`));
      } finally {
        await nc.close();
      }
    });
}
