/**
 * End to end, with the real `bin/natster` against the real stack of `natster up`: bob's browser
 * logins and `natster logout`, which revokes them in his account JWT.
 */
import { connectWithCreds, lookupAccountJwt } from "@natster/node-kit";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  E2eUser,
  jwtClaims,
  SETUP_TIMEOUT_MS,
  startStack,
  TEARDOWN_TIMEOUT_MS,
  succeeded,
  tearDownStack,
  type E2eStack,
} from "./support/cli-e2e.ts";

describe("natster CLI e2e: browser logins and logout (bob on one real stack)", () => {
  let root: string;
  let stack: E2eStack | undefined;
  let bob: E2eUser;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "natster-e2e-logout-"));
    stack = await startStack(join(root, "stack-home"));
    bob = new E2eUser("bob", join(root, "bob"), stack);
    await bob.init();
  }, SETUP_TIMEOUT_MS);

  afterAll(() => tearDownStack(root), TEARDOWN_TIMEOUT_MS);

  it("natster logout revokes the browser login made last, --all the rest; the account JWT carries the revocations", async () => {
    for (let i = 0; i < 2; i++) succeeded(await bob.json("login"));
    const loginsFile = join(bob.home, "default.logins.json");
    expect(statSync(loginsFile).mode & 0o777).toBe(0o600);
    const logins = (JSON.parse(readFileSync(loginsFile, "utf8")) as { user: string; created_at: number }[]).sort(
      (a, b) => a.created_at - b.created_at,
    );
    expect(logins).toHaveLength(2);
    const [older, newer] = [logins[0]!, logins[1]!];

    expect(succeeded<{ revoked: string[] }>(await bob.json("logout")).revoked).toEqual([newer.user]);
    expect(succeeded<{ revoked: string[] }>(await bob.json("logout", "--all")).revoked).toEqual([older.user]);
    expect(succeeded<{ revoked: string[] }>(await bob.json("logout")).revoked).toEqual([]);

    const sys = await connectWithCreds(
      stack!.info.nats_url,
      readFileSync(join(stack!.stackDir, "creds", "sys.creds")),
      "e2e-sys-logout",
    );
    try {
      const claims = jwtClaims<{ nats: { revocations?: Record<string, number> } }>(
        (await lookupAccountJwt(sys, bob.key))!,
      );
      expect(Object.keys(claims.nats.revocations ?? {})).toEqual(expect.arrayContaining([older.user, newer.user]));
    } finally {
      await sys.close();
    }
  });
});
