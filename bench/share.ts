import { createHash, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { changeShare } from "../cli/src/commands/catalog/sharing.ts";
import { openTransfer } from "@natster/transfer";
import { prepareCatalog, serveCatalogProcess } from "./lib/catalogs.ts";
import { percentile, round } from "./lib/stats.ts";
import { p99AgainstTarget } from "./lib/compare.ts";
import type { Bench, BenchContext, Measurement } from "./lib/types.ts";
import type { World } from "./lib/world.ts";

const CATALOG = "sharebench";
const FILE_BYTES = 4 * 2 ** 20;
/** The targets; the ratio is the measured p99 over them (≤ 1 passes). */
const VISIBLE_TARGET_MS = 250;
const REFUSED_TARGET_MS = 1000;
const dec = new TextDecoder();

/** The friend's `catalog contents` first page: its envelope code (200 served, 403 refused). */
async function getCode(world: World): Promise<number> {
  const reply = await world.friend.nc.request(`natster.catalog.${CATALOG}.get`, "", { timeout: 5000 });
  return (JSON.parse(dec.decode(reply.data)) as { code: number }).code;
}

/** Polls `done` back to back; the ms from `since` until it first holds. */
async function msUntil(since: number, done: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<number> {
  while (!(await done()))
    if (performance.now() - since > timeoutMs) throw new Error(`${what} never happened within ${timeoutMs} ms`);
  return performance.now() - since;
}

/**
 * share.visible_p99_ms and revoke.refused_p99_ms, through the real stack: the owner runs what
 * `natster catalog share|unshare` runs (changeShare: events.put, the wait for the projections, the
 * notice to its catalog server), and the clock starts when it returns.
 * - visible: until the friend's `my.shares` lists the share AND the real catalog-server process
 *   serves the friend's `get`.
 * - refused: a download is in flight with its credit withheld (window 1, first chunk taken) when
 *   the unshare runs; until the friend's next `get` is refused AND the transfer, asked for its next
 *   chunk, stops with FORBIDDEN.
 */
export const shareBench: Bench = {
  name: "share",
  keys: ["share.visible_p99_ms", "revoke.refused_p99_ms"],
  async run(ctx: BenchContext): Promise<Measurement[]> {
    const world = await ctx.world();
    const root = ctx.temp.dir("share-root");
    const clip = randomBytes(FILE_BYTES);
    writeFileSync(join(root, "clip.bin"), clip);
    await prepareCatalog(world, { home: ctx.home, name: CATALOG, root });
    const hash = createHash("sha256").update(clip).digest("hex");
    const server = await serveCatalogProcess(world, { home: ctx.home, name: CATALOG });
    const owner = world.owner.nc;
    const friend = world.friend.key;
    try {
      if ((await getCode(world)) !== 200) throw new Error("the friend is not served after the initial share");
      const visible: number[] = [];
      const refused: number[] = [];
      const commandMs: number[] = [];
      const rounds = ctx.sizes.shareRounds;
      for (let i = 0; i < rounds; i++) {
        // Revoke while a download waits on the receiver's credit.
        const transfer = await openTransfer({
          nc: world.friend.nc,
          catalog: CATALOG,
          hash,
          window: 1,
          chunkSize: 16 * 1024,
        });
        const chunks = transfer[Symbol.asyncIterator]();
        await chunks.next();
        let t = performance.now();
        const unshare = await changeShare(owner, "unshare", CATALOG, friend);
        commandMs.push(performance.now() - t);
        t = performance.now();
        if (!unshare.applied || unshare.server !== "reloaded")
          throw new Error(`unshare returned ${JSON.stringify(unshare)}`);
        let stopped = false;
        const stop = (async () => {
          try {
            for (let step = await chunks.next(); !step.done; step = await chunks.next());
          } catch (e) {
            if ((e as { code?: string }).code === "FORBIDDEN") stopped = true;
            else throw e;
          }
        })();
        const getRefused = await msUntil(t, async () => (await getCode(world)) === 403, "the refusal of the next get");
        await stop;
        if (!stopped) throw new Error("the in-flight transfer completed instead of stopping");
        refused.push(Math.max(getRefused, performance.now() - t));

        t = performance.now();
        const share = await changeShare(owner, "share", CATALOG, friend);
        commandMs.push(performance.now() - t);
        t = performance.now();
        if (!share.applied || share.server !== "reloaded") throw new Error(`share returned ${JSON.stringify(share)}`);
        const listed = await msUntil(
          t,
          async () =>
            (await world.friend.global.myShares()).some(
              (s) => s.catalog === CATALOG && s.from_account === world.owner.key,
            ),
          "the share in my.shares",
        );
        const served = await msUntil(t, async () => (await getCode(world)) === 200, "the friend's get being served");
        visible.push(Math.max(listed, served));
      }
      ctx.log(
        `share visible p50 ${percentile(visible, 50).toFixed(1)} ms p99 ${percentile(visible, 99).toFixed(1)} ms; revoke refused p50 ${percentile(refused, 50).toFixed(1)} ms p99 ${percentile(refused, 99).toFixed(1)} ms (${rounds} rounds)`,
      );
      // How long the command itself takes (append + waiting for the projections + the server notice).
      const extra = {
        rounds,
        file_mib: FILE_BYTES / 2 ** 20,
        command_p50_ms: round(percentile(commandMs, 50), 1),
        command_p99_ms: round(percentile(commandMs, 99), 1),
      };
      return [
        p99AgainstTarget({
          key: "share.visible_p99_ms",
          samples: visible,
          targetMs: VISIBLE_TARGET_MS,
          extra,
          notes: [
            "changeShare (what `natster catalog share` runs: events.put, my.applied until the projections have it, shares-changed to the owner's catalog server) returns, then the clock runs until the friend's my.shares lists the share AND the catalog-server workload process serves the friend's get through the real import; p99 over the rounds",
          ],
        }),
        p99AgainstTarget({
          key: "revoke.refused_p99_ms",
          samples: refused,
          targetMs: REFUSED_TARGET_MS,
          extra,
          notes: [
            "a download (window 1) holds its credit after its first chunk; changeShare unshare returns, then the clock runs until the friend's next get is refused AND the transfer, asked for its next chunk, ends with FORBIDDEN",
          ],
        }),
      ];
    } finally {
      await server.stop();
    }
  },
};
