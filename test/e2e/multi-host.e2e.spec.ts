/**
 * Natster across three hosts, each its own network namespace on a private bridge: `hub` runs the
 * stack (`natster up --listen <hub address>`), `alice` keeps her files and serves them from her own
 * Nex node, `bob` imports and downloads. Each person has only their NATSTER_HOME with a copy of the
 * hub's stack-client.json (and a NATSTER_STACK_DIR pointing at an empty folder). A tap in the
 * global account (`>` and `$NEX.>`) records everything the run publishes there. Tests run in order.
 */
import { createAccount, createCurve } from "@nats-io/nkeys";
import type { CatalogSummary } from "@natster/catalog";
import { connectWithCreds } from "@natster/node-kit";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployWorkload, pingNodes, workloadPing } from "nex-node";
import { AccountTap } from "./support/global-tap.ts";
import { NetnsLab, netnsInodeOf } from "./support/netns-lab.ts";
import { Cleanup, notYet, until } from "@natster/test-kit";
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
  type UpInfo,
} from "./support/cli-e2e.ts";

type DownloadReply = { file: string; bytes: number; verified: "sha256" | "length" };
type NodeState = { pid: number; node_id: string };

/** Every nkey seed shape: S, then the key type (User, Account, Operator, Cluster, Node/server, X curve), then 56 base32 characters. */
const SEED = /S[UAOCNX][A-Z2-7]{56}/g;

const seedsIn = (text: string): string[] => text.match(SEED) ?? [];

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? filesUnder(path) : e.isFile() ? [path] : [];
  });
}

/** A user's files, except the copy of the hub's stack-client.json (public by design). */
const ownFiles = (u: E2eUser): string[] => filesUnder(u.home).filter((f) => f !== join(u.home, "stack-client.json"));

/** The child processes of `pid` whose command line contains `marker`. */
function childrenOf(pid: number, marker: string): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((p) => {
      try {
        const ppid = /^PPid:\s+(\d+)$/m.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1];
        return Number(ppid) === pid && readFileSync(`/proc/${p}/cmdline`, "utf8").includes(marker);
      } catch {
        return false;
      }
    });
}

describe("natster on three hosts (network namespaces): hub, alice serving from her own node, bob", () => {
  let root: string;
  let lab: NetnsLab | undefined;
  let hub: E2eStack | undefined;
  let tap: AccountTap | undefined;
  let alice: E2eUser;
  let bob: E2eUser;
  let files: string;
  let served: { process: CliProcess; nodeId: string } | undefined;
  let clipHash = "";
  const hubHome = () => join(root, "hub-home");

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "natster-e2e-multihost-"));
  });

  afterAll(async () => {
    const cleanup = new Cleanup();
    try {
      await cleanup.attempt("stop the CLI processes and the users' nodes", () => stopAllProcesses());
      await cleanup.attempt("close the tap", async () => tap?.close());
      if (hub) {
        await cleanup.attempt("natster down on the hub", async () => {
          const down = await hub!.down();
          if (down.code !== 0) throw new Error(show(down));
        });
      }
    } finally {
      // Whatever is left inside the namespaces is killed by PID, then the namespaces go.
      if (lab) cleanup.failures.push(...(await lab.destroy()));
      if (root) rmSync(root, { recursive: true, force: true });
    }
    cleanup.done("cleanup");
  }, TEARDOWN_TIMEOUT_MS);

  // A test, not a hook: a machine that cannot make namespaces fails here, loudly, and nothing is skipped.
  it(
    "three hosts are built as network namespaces; the hub runs `natster up --listen <its address>`",
    async () => {
      lab = await NetnsLab.create(["hub", "alice", "bob"]);
      const hubHost = lab.host("hub");
      mkdirSync(hubHome());
      const up = await natster(
        ["--json", "up", "--listen", hubHost.addr],
        { NATSTER_HOME: hubHome() },
        180_000,
        lab.prefix("hub"),
      );
      const info = succeeded<UpInfo>(up);
      hub = {
        home: hubHome(),
        stackDir: info.stack_dir,
        info,
        down: () => natster(["--json", "down"], { NATSTER_HOME: hubHome() }, 60_000, lab!.prefix("hub")),
      };
      // The test plays the operator here: it may read the stack's creds (nobody else does).
      tap = await AccountTap.open(info.nats_url, join(info.stack_dir, "creds", "global.creds"));

      alice = new E2eUser("alice", join(root, "alice-home"), hub, lab.prefix("alice"));
      bob = new E2eUser("bob", join(root, "bob-home"), hub, lab.prefix("bob"));
      files = join(root, "alice-files");
      mkdirSync(files);
      writeFileSync(join(files, "hello.txt"), "served from alice's own machine\n");
      clipHash = writeRandomFile(join(files, "clip.bin"), 3 * 2 ** 20 + 17);
    },
    SETUP_TIMEOUT_MS,
  );

  it("the hub listens on its own address, and stack-client.json carries that address", () => {
    const addr = lab!.host("hub").addr;
    expect(hub!.info).toMatchObject({
      nats_url: `nats://${addr}:4222`,
      ws_url: `ws://${addr}:4223`,
      web_url: `http://${addr}:4280`,
    });
    const copied = JSON.parse(readFileSync(join(alice.home, "stack-client.json"), "utf8")) as UpInfo;
    expect(copied.nats_url).toBe(`nats://${addr}:4222`);
  });

  it("alice and bob init on their own hosts with only the copied stack-client.json", async () => {
    for (const u of [alice, bob]) {
      expect((await u.init()).account).toMatch(/^A[A-Z2-7]{55}$/);
    }
  });

  it("alice serves from her own Nex node (started on demand), and the catalog answers", async () => {
    succeeded(await alice.json("catalog", "new", "films", "alice's films", files));
    const s = await alice.serve("films");
    served = { process: s.process, nodeId: s.nodeId };
    expect(s.process.stderr).toMatch(/Started your Nex node N[A-Z0-9]+ \(pid \d+/);
    const listing = await until(
      async () => {
        const r = await alice.json("catalog", "contents", "films");
        return r.code === 0 ? succeeded<CatalogSummary>(r) : notYet(show(r));
      },
      "alice's catalog answers",
      30_000,
      200,
    );
    expect(listing.entries.map((e) => e.path).sort()).toEqual(["/clip.bin", "/hello.txt"]);
  });

  it("alice's node and catalog server processes run in alice's network namespace", async () => {
    const state = JSON.parse(readFileSync(join(alice.home, "node", "default", "state.json"), "utf8")) as NodeState;
    expect(state.node_id).toBe(served!.nodeId);
    const server = await until(
      () => {
        const pids = childrenOf(state.pid, "catalog-server");
        return Promise.resolve(
          pids.length === 1 ? pids[0]! : notYet(`children with catalog-server: ${pids.join(", ") || "none"}`),
        );
      },
      "the node runs alice's catalog server as its child",
      10_000,
      200,
    );
    const status = succeeded<{
      running: boolean;
      node_id: string;
      pid: number;
      account: string;
      workloads: { name: string }[];
    }>(await alice.json("node", "status"));
    expect(status).toMatchObject({ running: true, node_id: state.node_id, pid: state.pid, account: alice.key });
    // The node serve started is complete: it also runs the local agent behind the web app's inbox.
    const mine = alice.key.slice(0, 8).toLowerCase();
    expect(status.workloads.map((w) => w.name).sort()).toEqual([`catalog-films-${mine}`, `local-agent-${mine}`]);
    expect(succeeded<{ already_running: boolean; node_id: string }>(await alice.json("node", "up"))).toMatchObject({
      already_running: true,
      node_id: state.node_id,
    });
    const aliceNs = lab!.nsInode("alice");
    expect(netnsInodeOf(state.pid)).toBe(aliceNs);
    expect(netnsInodeOf(server)).toBe(aliceNs);
    expect(aliceNs).not.toBe(lab!.nsInode("hub"));
    expect(aliceNs).not.toBe(netnsInodeOf(process.pid));
  });

  it("bob imports alice's catalog on his host and downloads a file, SHA-256 verified", async () => {
    succeeded(await alice.json("catalog", "share", "films", bob.key));
    succeeded(await bob.json("catalog", "import", "films", alice.key));
    const out = join(root, "bob-clip.bin");
    const reply = await until(
      async () => {
        const r = await bob.json("catalog", "download", "films", clipHash, out, "--force");
        return r.code === 0 ? succeeded<DownloadReply>(r) : notYet(show(r));
      },
      "bob's download from alice's host",
      30_000,
      200,
    );
    expect(reply).toMatchObject({ verified: "sha256", bytes: statSync(join(files, "clip.bin")).size });
    expect(await sha256File(out)).toBe(clipHash);
    await served!.process.waitFor(
      "stdout",
      new RegExp(`download from ${bob.key} -> 200 sent /clip\\.bin`),
      10_000,
      "alice's server logged bob's download",
    );
    // The hub's demo catalog (served by the hub's own node, as HUB) answers bob too.
    const hubListing = succeeded<CatalogSummary>(await bob.json("catalog", "contents", "hub"));
    expect(hubListing.entries.map((e) => e.path)).toContain("/welcome.txt");
  });

  it("no message in the global account, control plane included, carried a user's seed (or any seed)", () => {
    // Each user's own seeds: CLI user, account, signing key; alice also her node user, Nex issuer and
    // sealing key. (stack-client.json holds the public signup user's seed, the same for everyone by design.)
    const userSeeds = [alice, bob].flatMap((u) => ownFiles(u).flatMap((f) => seedsIn(readFileSync(f, "latin1"))));
    expect(userSeeds.length).toBeGreaterThanOrEqual(3 + 6);
    expect(userSeeds.some((s) => s.startsWith("SU"))).toBe(true);
    expect(userSeeds.some((s) => s.startsWith("SA"))).toBe(true);
    // The tap saw the run: alice's heartbeats reached the global service, and the hub's Nex node spoke on $NEX.
    expect(tap!.containing(`natster.global.${alice.key}.`).length).toBeGreaterThan(0);
    expect(tap!.messages.some((m) => m.subject.startsWith("$NEX."))).toBe(true);
    for (const seed of userSeeds)
      expect(
        tap!.containing(seed).map((m) => m.subject),
        `a user seed (${seed.slice(0, 4)}…)`,
      ).toEqual([]);
    const anySeed = tap!.messages.filter((m) => seedsIn(m.text).length > 0).map((m) => m.subject);
    expect(anySeed, "messages carrying a seed-shaped string").toEqual([]);
  });

  it("holding the global creds is not enough to run code on the global Nex node: it takes deploys only from the stack's issuer", async () => {
    const nc = await connectWithCreds(
      hub!.info.nats_url,
      readFileSync(join(hub!.stackDir, "creds", "global.creds")),
      "e2e-intruder",
    );
    try {
      const node = (await pingNodes(nc, 2_000)).find((n) => n.tags?.["natster.stack"] === "local");
      expect(node, "the hub's global Nex node answers $NEX.PING").toBeDefined();
      const attempt = deployWorkload(nc, {
        namespace: "natster",
        nodeId: node!.node_id,
        issuer: createAccount(),
        publisher: createCurve(),
        name: "intruder",
        type: "native",
        location: "file:///bin/true",
        hash: "00".repeat(32),
      });
      await expect(attempt).rejects.toThrow(/invalid workload issuer/);
      // And it runs only the global service: no catalog server (not even the hub's) is on it.
      const names = (await workloadPing(nc, "natster", undefined, 2_000)).flatMap((p) =>
        p.running_machines.map((m) => m.name),
      );
      expect(names).toContain("account-authority");
      expect(names.filter((n) => n.startsWith("catalog-"))).toEqual([]);
    } finally {
      await nc.close();
    }
  });

  it("users' homes hold no stack credentials (only the public signup user of stack-client.json), and their NATSTER_STACK_DIR stays empty", () => {
    const publicSeed = seedsIn(readFileSync(join(hub!.stackDir, "creds", "public.creds"), "utf8"));
    expect(seedsIn(hub!.info.public_creds)).toEqual(publicSeed);
    const stackSeeds = filesUnder(hub!.stackDir)
      .filter((f) => /\.(nk|creds)$/.test(f))
      .flatMap((f) => seedsIn(readFileSync(f, "utf8")))
      .filter((s) => !publicSeed.includes(s));
    // The operator, its signing key, the four accounts, HUB's signing key, the SYS/global/hub/authority users, Nex deploy keys.
    expect(stackSeeds.length).toBeGreaterThanOrEqual(10);
    for (const u of [alice, bob]) {
      const leaked = filesUnder(u.home).filter((f) => {
        const text = readFileSync(f, "latin1");
        return stackSeeds.some((s) => text.includes(s));
      });
      expect(leaked, `${u.name}'s home`).toEqual([]);
      expect(existsSync(join(u.home, "stack")), `${u.name} has no stack dir`).toBe(false);
      expect(readdirSync(u.stackDir), `${u.name}'s NATSTER_STACK_DIR`).toEqual([]);
    }
  });

  it("when alice's node goes away, `catalog serve` says so and exits non-zero; serve again starts a new node", async () => {
    const down = succeeded<{ stopped: { pid: number }[] }>(await alice.json("node", "down"));
    expect(down.stopped).toHaveLength(1);
    const ended = await served!.process.exited;
    expect(ended.code, show(ended)).toBe(1);
    expect(ended.stderr).toMatch(/error \[ORPHANED\]: .*(node|undeployed).*'films' is no longer served/);

    const again = await alice.serve("films");
    expect(again.process.stderr).toMatch(/Started your Nex node/);
    served = { process: again.process, nodeId: again.nodeId };
  });

  it("when the hub's NATS server goes away (natster down), `catalog serve` says so and exits non-zero", async () => {
    await tap!.close();
    tap = undefined;
    const down = await hub!.down();
    expect(down.code, show(down)).toBe(0);
    hub = undefined;
    const ended = await served!.process.exited;
    expect(ended.code, show(ended)).toBe(1);
    expect(ended.stderr).toMatch(/error \[ORPHANED\]: lost the NATS server at nats:\/\/10\.231\.\d+\.1:4222/);
  });
});
