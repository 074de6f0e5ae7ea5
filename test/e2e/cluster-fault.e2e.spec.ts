/**
 * The whole stack on a 3-server cluster (`natster up --cluster 3`: R3 event log, buckets and
 * artifact store, two global Nex nodes), driven through the real CLI by three people, while a
 * nats-server and then a global Nex node are SIGKILLed:
 *   - a rate-limited download is mid-transfer when the server holding its connection dies
 *     (the download is suspended around the kill, so the kill lands mid-transfer on any machine);
 *   - a burst of shares is running when the server dies, and another when the Nex node dies;
 *   - the download finishes (or resumes) SHA-256-verified, every share acknowledged to the CLI is
 *     in the log and in its recipient's inbox, the killed server rejoins and its replicas equal the
 *     others', and the projections equal both an independent reading and a rebuild of the log.
 * Nothing asserts a duration: each step waits for the condition it needs. The fail-over and
 * catch-up times are measured and printed.
 */
import type { NatsConnection } from "@nats-io/nats-core";
import { connectWithCreds } from "@natster/node-kit";
import { Stores } from "@natster/protocol";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readClientInfo } from "@natster/identity";
import { isOurs } from "../../infra/stack/pid-file.ts";
import { descendants, processName } from "../../infra/stack/process-tree.ts";
import { commandLine, isAlive, stopPid } from "../../infra/stack/processes.ts";
import { projectionsCaughtUp, readEventLog, snapshotProjections } from "../support/global-service.ts";
import { expectedProjections } from "../support/projection-model.ts";
import { pinnedClient, serversHolding, streamStates, trackedProcess } from "./support/cluster-probe.ts";
import { notYet, until } from "@natster/test-kit";
import {
  E2eUser,
  natster,
  sha256File,
  show,
  SETUP_TIMEOUT_MS,
  stopAllProcesses,
  succeeded,
  TEARDOWN_TIMEOUT_MS,
  writeRandomFile,
  type CliProcess,
  type E2eStack,
} from "./support/cli-e2e.ts";
import {
  sameState,
  shareLedger,
  upCluster,
  type ClusterUpInfo,
  type ShareAttempt,
  type ShareLedger,
  type Status,
} from "./support/cluster-fault-scenario.ts";

const BIG = 24 * 2 ** 20;
const BURST_CATALOGS = ["burstone", "bursttwo", "burstthree", "burstfour"] as const;

describe("natster up --cluster 3: a server and a Nex node die mid-download and mid-share-burst, and everything goes on", () => {
  let root: string;
  let stack: E2eStack | undefined;
  let info: ClusterUpInfo;
  let upArgs: string[];
  let operatorEnv: Record<string, string>;
  let alice: E2eUser;
  let bob: E2eUser;
  let carol: E2eUser;
  let global: NatsConnection | undefined;
  let bigHash = "";
  let served: CliProcess | undefined;
  const acknowledged: ShareAttempt[] = [];
  let shares: ShareLedger;
  /** Native workloads a SIGKILLed Nex node left behind: stopped by PID at the end. */
  const orphans: { pid: number; comm: string }[] = [];
  let victimServer = "";
  const httpUrls = () =>
    info.nats_urls.map((_, i) => `http://127.0.0.1:${Number(new URL(info.http_url).port) + 10 * i}`);
  const shareBurst = (catalogs: readonly string[]) => shares.burst(catalogs);
  const sharesGoOn = () => shares.askFailedAgain();
  const expectAcknowledgedSharesVisible = () => shares.expectVisible(global as NatsConnection);

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "natster-e2e-cluster-"));
    const home = join(root, "stack-home");
    mkdirSync(home, { recursive: true, mode: 0o700 });
    ({ stack, info, upArgs, operatorEnv } = await upCluster(home));
    global = await connectWithCreds(
      info.nats_urls,
      readFileSync(join(info.stack_dir, "creds", "global.creds")),
      "natster-e2e-cluster-global",
    );

    const media = join(root, "alice-media");
    mkdirSync(media);
    bigHash = writeRandomFile(join(media, "big.bin"), BIG);
    for (const name of BURST_CATALOGS) {
      mkdirSync(join(root, name));
      writeFileSync(join(root, name, "readme.txt"), `the ${name} catalog\n`);
    }
    alice = new E2eUser("alice", join(root, "alice"), stack);
    bob = new E2eUser("bob", join(root, "bob"), stack);
    carol = new E2eUser("carol", join(root, "carol"), stack);
    shares = shareLedger(alice, [bob, carol], acknowledged);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await global?.close().catch(() => undefined);
    await stopAllProcesses().catch((e: unknown) => console.error((e as Error).message));
    if (stack) {
      const down = await stack.down();
      if (down.code !== 0) console.error(`natster down failed:\n${show(down)}`);
    }
    for (const o of orphans) if (processName(o.pid) === o.comm) await stopPid(o.pid, "SIGINT", 5_000);
    if (root) rmSync(root, { recursive: true, force: true });
  }, TEARDOWN_TIMEOUT_MS);

  it("up --cluster 3 runs three clustered servers and two global Nex nodes, lists every URL, and keeps everything R3", async () => {
    expect(info.cluster).toEqual({ servers: 3, replicas: 3 });
    expect(info.nats_urls).toHaveLength(3);
    expect(info.ws_urls).toHaveLength(3);
    for (const url of [...info.nats_urls, ...info.ws_urls]) expect(url).toMatch(/^(nats|ws):\/\/127\.0\.0\.1:\d+$/);
    expect(new Set(info.nats_urls).size).toBe(3);
    const written = readClientInfo(join(stack?.home ?? "", "stack-client.json"));
    expect(written?.nats_urls).toEqual(info.nats_urls);
    expect(written?.ws_urls).toEqual(info.ws_urls);
    // The web app gets every websocket URL, and its CSP lets it connect to each.
    const page = await fetch(`${info.web_url}/stack.json`);
    expect(((await page.json()) as { ws_urls?: string[] }).ws_urls).toEqual(info.ws_urls);
    const app = await fetch(`${info.web_url}/`);
    for (const ws of info.ws_urls) expect(app.headers.get("content-security-policy") ?? "").toContain(ws);

    const status = succeeded<Status>(await natster(["--json", "status"], operatorEnv));
    const names = status.components.filter((c) => c.running).map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "nats-server-1",
        "nats-server-2",
        "nats-server-3",
        "nex-node",
        "nex-node-2",
        "hub-node",
        "web",
      ]),
    );
    expect(status.cluster).toEqual({ servers: 3, replicas: 3 });
    for (const c of status.components.filter((x) => x.name.startsWith("nats-server"))) {
      expect(commandLine(c.pid)).toMatch(/nats-server/);
      expect(commandLine(c.pid)).toContain(info.stack_dir);
    }

    const states = await streamStates(httpUrls()[0] ?? "", info.accounts.global);
    const streams = Object.keys(states ?? {});
    expect(streams).toEqual(
      expect.arrayContaining([
        Stores.eventsStream,
        "KV_PROJ_ACCOUNT",
        "KV_PROJ_CATALOG",
        "KV_PROJ_STATS",
        "KV_NATSTER_CODES",
        "KV_NATSTER_ONLINE",
        "OBJ_NEXCLIFILES",
      ]),
    );
    const { jetstreamManager } = await import("@nats-io/jetstream");
    const jsm = await jetstreamManager(global as NatsConnection);
    for await (const s of jsm.streams.list())
      expect({ stream: s.config.name, replicas: s.config.num_replicas }).toEqual({
        stream: s.config.name,
        replicas: 3,
      });
  });

  it("three people init, alice catalogs, serves and shares, bob imports (every CLI reads the whole server list)", async () => {
    await Promise.all([alice, bob, carol].map((u) => u.init()));
    const ctx = JSON.parse(readFileSync(join(alice.home, "default.context"), "utf8")) as { nats_url: string };
    expect(ctx.nats_url.split(",")).toEqual(info.nats_urls);

    succeeded(await alice.json("catalog", "new", "movies", "alice's movies", join(root, "alice-media")));
    for (const name of BURST_CATALOGS)
      succeeded(await alice.json("catalog", "new", name, `burst ${name}`, join(root, name)));
    served = (await alice.serve("movies")).process;
    succeeded(await alice.json("catalog", "share", "movies", bob.key));
    succeeded(await bob.json("catalog", "import", "movies", alice.key));
    const contents = succeeded<{ entries: { path: string; hash: string }[] }>(
      await bob.json("catalog", "contents", "movies"),
    );
    expect(contents.entries).toEqual([expect.objectContaining({ path: "/big.bin", hash: bigHash })]);
  }, 180_000);

  it("SIGKILL the server holding a download's connection mid-transfer, in the middle of a burst of shares: the download completes verified", async () => {
    // One client pinned to each server, connected well before the kill (a client that connected in the
    // last 2 s would first wait out nats.js's reconnect pacing for the dead server, and measure that).
    const creds = join(info.stack_dir, "creds", "global.creds");
    const probes = await Promise.all(
      info.nats_urls.map((url) => pinnedClient([url, ...info.nats_urls.filter((u) => u !== url)], creds)),
    );
    const burst = shareBurst(BURST_CATALOGS.slice(0, 2));
    await burst.halfway;

    const out = join(root, "bob-big.bin");
    const download = bob.spawn(["--json", "catalog", "download", "movies", bigHash, out, "--limit-rate", "2M"]);
    await until(
      () => {
        const size = existsSync(`${out}.partial`) ? statSync(`${out}.partial`).size : 0;
        return Promise.resolve(
          size >= 4 * 2 ** 20
            ? size
            : download.running
              ? notYet(`${size} bytes`)
              : notYet(`the download exited: ${download.stdout}${download.stderr}`),
        );
      },
      "the download has written 4 MiB",
      60_000,
      50,
    );
    // Suspended (SIGTSTP), it can neither finish nor acknowledge anything: the kill lands mid-transfer however busy the machine is.
    download.suspend();
    expect(existsSync(out)).toBe(false);
    expect(statSync(`${out}.partial`).size).toBeLessThan(BIG);
    const holding = await until(
      async () => {
        const urls = await serversHolding(httpUrls(), "natster_catalogclient");
        return urls.length === 1 ? (urls[0] ?? "") : notYet(`held by ${urls.join(", ") || "none"}`);
      },
      "one server holds the download's connection",
      10_000,
      200,
    );
    const index = httpUrls().indexOf(holding);
    victimServer = `nats-server-${index + 1}`;
    const victimUrl = info.nats_urls[index] ?? "";
    const probe = probes[index];
    if (!probe) throw new Error(`no probe for ${victimUrl}`);
    const victim = trackedProcess(info.stack_dir, victimServer);
    expect(isOurs(victim)).toBe(true);

    const killedAt = Date.now();
    const ackedBeforeKill = acknowledged.length;
    process.kill(victim.pid, "SIGKILL");
    download.resume();
    burst.goOn();
    const failedOverAt = await probe.failedOverAt;
    if (failedOverAt === undefined) throw new Error(`the client pinned to ${victimUrl} closed instead of failing over`);
    const failoverMs = failedOverAt - killedAt;
    await Promise.all(probes.map((p) => p.nc.close()));

    const first = await download.exited;
    await burst.done;
    await sharesGoOn();
    expect(acknowledged.length, "a share acknowledged after the kill").toBeGreaterThan(ackedBeforeKill);
    let result = first;
    if (first.code !== 0) {
      // Resuming is allowed: the same command picks up the .partial file.
      result = await bob.run(["--json", "catalog", "download", "movies", bigHash, out, "--limit-rate", "8M"], 120_000);
    }
    const reply = succeeded<{ verified: string; offset: number; total: number }>(result);
    expect(reply).toMatchObject({ verified: "sha256", total: BIG });
    expect(await sha256File(out)).toBe(bigHash);
    console.log(
      `[cluster-fault] killed ${victimServer} (${victimUrl}) mid-download: client fail-over ${failoverMs} ms; ` +
        `download ${first.code === 0 ? "finished without a resume" : `resumed at ${reply.offset} bytes after: ${first.stdout.trim() || first.stderr.trim()}`}`,
    );
  }, 240_000);

  it("every share acknowledged during the server kill is in the log and in its recipient's inbox", async () => {
    await expectAcknowledgedSharesVisible();
  }, 120_000);

  it("the killed server restarts (natster up again), rejoins and catches up: its replicas equal the others'", async () => {
    const victim = httpUrls()[Number(victimServer.split("-").pop()) - 1] ?? "";
    const others = httpUrls().filter((u) => u !== victim);
    const missed = await streamStates(others[0] ?? "", info.accounts.global);
    const upRun = natster(upArgs, operatorEnv, SETUP_TIMEOUT_MS);
    const back = await until(
      async () => ((await streamStates(victim, info.accounts.global)) ? Date.now() : notYet("no answer")),
      "the killed server answers again",
      120_000,
      50,
    );
    const caughtUp = await until(
      async () => {
        const mine = await streamStates(victim, info.accounts.global);
        const behind = Object.entries(missed ?? {}).filter(([name, s]) => (mine?.[name]?.last_seq ?? -1) < s.last_seq);
        return behind.length === 0 ? Date.now() : notYet(`behind on ${behind.map(([n]) => n).join(", ")}`);
      },
      "the restarted server has everything it missed",
      120_000,
      50,
    );
    const again = succeeded<ClusterUpInfo>(await upRun);
    expect(again.components.filter((c) => c.name.startsWith("nats-server")).every((c) => c.running)).toBe(true);
    expect(trackedProcess(info.stack_dir, victimServer).pid).not.toBe(undefined);

    await until(
      async () => {
        const all = await Promise.all(httpUrls().map((u) => streamStates(u, info.accounts.global)));
        const differing = Object.keys(all[0] ?? {}).filter(
          (name) => !all.every((s) => sameState(s?.[name], all[0]?.[name])),
        );
        return all.every(Boolean) && differing.length === 0
          ? true
          : notYet(`differing: ${differing.join(", ") || "a server did not answer"}`);
      },
      "all three replicas of every stream are equal",
      120_000,
      200,
    );
    console.log(
      `[cluster-fault] ${victimServer} catch-up: ${caughtUp - back} ms from answering again to holding everything it missed`,
    );
  }, 240_000);

  it("SIGKILL a global Nex node during a burst of shares: the functions go on on the other node, and up restarts it", async () => {
    const node = trackedProcess(info.stack_dir, "nex-node-2");
    expect(isOurs(node)).toBe(true);
    const before = acknowledged.length;
    const burst = shareBurst(BURST_CATALOGS.slice(2));
    await burst.halfway;
    orphans.push(...descendants(node.pid));
    const ackedBeforeKill = acknowledged.length;
    process.kill(node.pid, "SIGKILL");
    burst.goOn();
    await burst.done;
    await sharesGoOn();
    expect(acknowledged.length, "a share acknowledged after the kill").toBeGreaterThan(ackedBeforeKill);
    await expectAcknowledgedSharesVisible();
    expect(acknowledged.length).toBeGreaterThan(before);
    expect(isAlive(node.pid)).toBe(false);

    // The dead node's native workloads outlived it (re-parented, still in its process group): `up` stops them by PID.
    const left = orphans.filter((o) => processName(o.pid) === o.comm);
    expect(left.length, "native workloads the SIGKILLed node left running").toBeGreaterThan(0);
    const again = succeeded<ClusterUpInfo>(await natster(upArgs, operatorEnv, SETUP_TIMEOUT_MS));
    expect(again.components.find((c) => c.name === "nex-node-2")).toMatchObject({ running: true });
    expect(again.components.find((c) => c.name === "nex-node-2")?.pid).not.toBe(node.pid);
    expect(left.filter((o) => isAlive(o.pid) && processName(o.pid) === o.comm)).toEqual([]);
  }, 240_000);

  it("the projections equal an independent reading of the log, and a rebuild from the log, byte for byte", async () => {
    const nc = global as NatsConnection;
    await projectionsCaughtUp(nc, 60_000);
    const live = await snapshotProjections(nc);
    const expected = expectedProjections(await readEventLog(nc));
    for (const bucket of ["PROJ_ACCOUNT", "PROJ_CATALOG", "PROJ_STATS"] as const) {
      const actual = Object.fromEntries(
        Object.entries(live[bucket] ?? {}).map(([k, v]) => [k, JSON.parse(v) as unknown]),
      );
      expect(actual, `${bucket} against the log`).toEqual(expected[bucket]);
    }
    succeeded(await natster(["--json", "admin", "rebuild-projections", "--timeout", "120"], operatorEnv, 180_000));
    await projectionsCaughtUp(nc, 60_000);
    expect(await snapshotProjections(nc)).toEqual(live);
  }, 240_000);

  it("natster down stops every server and node it started, by PID", async () => {
    const status = succeeded<Status>(await natster(["--json", "status"], operatorEnv));
    await served?.stop();
    const down = succeeded<{ stopped: { name: string; pid: number }[] }>(await (stack as E2eStack).down());
    stack = undefined;
    expect(down.stopped.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        "nats-server-1",
        "nats-server-2",
        "nats-server-3",
        "nex-node",
        "nex-node-2",
        "hub-node",
        "web",
      ]),
    );
    for (const c of status.components)
      expect({ name: c.name, alive: isAlive(c.pid) }).toEqual({ name: c.name, alive: false });
  }, 120_000);
});
