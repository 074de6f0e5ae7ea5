import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { createAccount } from "@nats-io/nkeys";
import { connectWithCreds } from "@natster/node-kit";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthorityClient } from "../../cli/src/accounts/authority-client.ts";
import { mintUserCreds } from "../../cli/src/accounts/user-creds.ts";
import type { StackClientInfo } from "@natster/identity";
import { freePort } from "../../infra/stack/ports.ts";
import { isAlive } from "../../infra/stack/processes.ts";
import { parseJson, runNatster } from "../support/cli-runner.ts";

/** A full `natster up` (bundles, two Nex nodes, every workload, the web app) on a busy 2-core machine. */
const UP_TIMEOUT_MS = 280_000;

type UpInfo = StackClientInfo & { stack_dir: string; components: { name: string; pid: number; running: boolean }[] };

describe("natster up / down / status (the real CLI, the real stack)", () => {
  let home: string;
  let env: Record<string, string>;
  let portArgs: string[];

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), "natster-home-"));
    env = { NATSTER_HOME: home };
    portArgs = [
      "--port",
      String(await freePort()),
      "--http-port",
      String(await freePort()),
      "--ws-port",
      String(await freePort()),
    ];
  });
  afterAll(async () => {
    await runNatster(["down"], env);
    rmSync(home, { recursive: true, force: true });
  });

  // Two full `natster up`s (bundles, the Nex node, every workload, the web app) on a 2-core machine:
  // each may take minutes when the machine is busy, so only the test's own limit bounds them.
  it("keeps every account, stream and KV bucket across a restart", { timeout: 600_000 }, async () => {
    const up = parseJson<UpInfo>(await runNatster(["--json", "up", ...portArgs], env, UP_TIMEOUT_MS));
    expect(up.components.map((c) => [c.name, c.running])).toEqual([
      ["nats-server", true],
      ["nex-node", true],
      ["hub-node", true],
      ["web", true],
    ]);
    expect(up.web_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${up.web_url}/stack.json`)).ok).toBe(true);
    expect(up.nats_url).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);

    const account = createAccount();
    const signing = createAccount();
    const pub = await connectWithCreds(up.nats_url, new TextEncoder().encode(up.public_creds), "signup");
    await new AuthorityClient(pub).createAccount(account, { name: "persist", signing_keys: [signing.getPublicKey()] });
    await pub.close();
    const { creds } = await mintUserCreds(account.getPublicKey(), signing, "persist-user");
    let nc = await connectWithCreds(up.nats_url, creds, "persist");
    await (await jetstreamManager(nc)).streams.add({ name: "KEEP", subjects: ["keep.>"] });
    await jetstream(nc).publish("keep.one", "1");
    await (await new Kvm(nc).create("KEEPKV")).put("k", "v");
    await nc.close();

    const down = parseJson<{ stopped: { name: string; pid: number }[] }>(await runNatster(["--json", "down"], env));
    expect(down.stopped.map((s) => s.name)).toEqual(["web", "hub-node", "nex-node", "nats-server"]);
    for (const s of down.stopped) expect(isAlive(s.pid)).toBe(false);
    const status = await runNatster(["status"], env);
    expect(status.code).toBe(3);

    const again = parseJson<UpInfo>(await runNatster(["--json", "up", ...portArgs], env, UP_TIMEOUT_MS));
    expect(again.operator).toBe(up.operator);
    nc = await connectWithCreds(again.nats_url, creds, "persist-again");
    const jsm = await jetstreamManager(nc);
    expect((await jsm.streams.info("KEEP")).state.messages).toBe(1);
    expect((await (await new Kvm(nc).open("KEEPKV")).get("k"))?.string()).toBe("v");
    await nc.close();
  });

  it("a second up is idempotent and reports the running stack", async () => {
    const r = parseJson<{ already_running: boolean }>(
      await runNatster(["--json", "up", ...portArgs], env, UP_TIMEOUT_MS),
    );
    expect(r.already_running).toBe(true);
    expect((await runNatster(["status"], env)).code).toBe(0);
  });

  it("refuses a taken port with PORT_TAKEN and never attaches to the foreign server", async () => {
    const port = await freePort();
    const squatter: Server = createServer();
    await new Promise<void>((r) => squatter.listen(port, "127.0.0.1", r));
    const otherHome = mkdtempSync(join(tmpdir(), "natster-home-"));
    try {
      const r = await runNatster(
        [
          "--json",
          "up",
          "--port",
          String(port),
          "--http-port",
          String(await freePort()),
          "--ws-port",
          String(await freePort()),
        ],
        {
          NATSTER_HOME: otherHome,
        },
      );
      expect(r.code).toBe(1);
      expect(parseJson<{ error: { code: string; message: string } }>(r).error.code).toBe("PORT_TAKEN");
      expect(squatter.listening).toBe(true);
    } finally {
      squatter.close();
      rmSync(otherHome, { recursive: true, force: true });
    }
  });

  it("down stops only what up started", async () => {
    const foreign = createServer();
    await new Promise<void>((r) => foreign.listen(0, "127.0.0.1", r));
    const down = parseJson<{ stopped: { name: string }[] }>(await runNatster(["--json", "down"], env));
    expect(down.stopped.map((s) => s.name)).toEqual(["web", "hub-node", "nex-node", "nats-server"]);
    expect(foreign.listening).toBe(true);
    foreign.close();
    const nothing = parseJson<{ stopped: unknown[] }>(await runNatster(["--json", "down"], env));
    expect(nothing.stopped).toEqual([]);
  });
});
