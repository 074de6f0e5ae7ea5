import { until } from "@natster/test-kit";
import type { NatsConnection } from "@nats-io/nats-core";
import { NONE } from "@natster/protocol";
import { workloadEnvFromCreds } from "@natster/node-kit";
import { mintUserCreds } from "../../cli/src/accounts/user-creds.ts";
import { GlobalClient } from "../../cli/src/global-client.ts";
import { createTestUser, publicAuthorityClient, type TestUser } from "../../test/support/authority.ts";
import { startFullStack, type FullStack } from "../../test/support/full-stack.ts";

export type BenchUser = TestUser & {
  key: string;
  /** The user's own connection (a CLI's). */
  nc: NatsConnection;
  global: GlobalClient;
  /** Fresh creds of a user of this account (what a Nex workload or a second CLI would run as). */
  credsText(name: string): Promise<string>;
};

/**
 * The shared stack of a run: everything `natster up` runs (nats-server, the global service on an
 * in-process Nex node, the trigger bridge, the authority), and two real user accounts made the
 * way `natster init` makes them: `owner` serves catalogs, `friend` downloads them across the
 * real account import.
 */
export type World = {
  stack: FullStack;
  owner: BenchUser;
  friend: BenchUser;
  /** A NATSTER_GLOBAL connection (event log, projections, Nex control). */
  globalNc: NatsConnection;
  /** `owner` shares `catalog` with `friend` (real global service); `friend` imports it (real authority). */
  share(catalog: string): Promise<void>;
  /** The Nex workload env for a process running as a user of the owner's account. */
  ownerWorkloadEnv(name: string): Promise<Record<string, string>>;
  stop(): Promise<void>;
};

export async function startWorld(log: (line: string) => void): Promise<World> {
  // A real nats-server process unless told otherwise: no container runtime in the measured path.
  process.env.NATSTER_TEST_NATS ??= "process";
  const started = performance.now();
  const stack = await startFullStack();
  try {
    const authority = await publicAuthorityClient(stack);
    const user = async (name: string): Promise<BenchUser> => {
      const made = await createTestUser(stack, authority, name);
      const nc = await made.connect(`${name}-cli`);
      const enc = new TextDecoder();
      return {
        ...made,
        key: made.account.getPublicKey(),
        nc,
        global: new GlobalClient(nc),
        credsText: async (n) =>
          enc.decode((await mintUserCreds(made.account.getPublicKey(), made.signingKey, n)).creds),
      };
    };
    const owner = await user("owner");
    const friend = await user("friend");
    for (const u of [owner, friend]) {
      await u.global.putEvent({
        catalog: NONE,
        target: NONE,
        event_type: "natster_initialized",
        data: { account_key: u.key, account_name: u.name },
      });
    }
    const globalNc = await stack.connect("global", "bench-global");
    log(
      `stack up in ${Math.round(performance.now() - started)} ms (${stack.url}); users owner ${owner.key.slice(0, 8)}…, friend ${friend.key.slice(0, 8)}…`,
    );
    return {
      stack,
      owner,
      friend,
      globalNc,
      async share(catalog) {
        await owner.global.putEvent({ catalog, target: friend.key, event_type: "catalog_shared", data: null });
        await authority.importCatalog(friend.account, { catalog, from: owner.key });
        const shown = async () =>
          (await owner.global.myShares()).some((s) => s.catalog === catalog && s.to_account === friend.key);
        await until(shown, `the share of ${catalog} in the owner's my.shares`, 20_000, 100);
      },
      async ownerWorkloadEnv(name) {
        return workloadEnvFromCreds(stack.url, await owner.credsText(name));
      },
      stop: () => stack.stop(),
    };
  } catch (e) {
    await stack.stop();
    throw e;
  }
}
