import { until } from "@natster/test-kit";
import { Kvm } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/nats-core";
import { fail, ok, Stores, Subjects, type AccountProjection, type WhoamiReply } from "@natster/protocol";
import { percentile, round } from "./lib/stats.ts";
import type { Bench, BenchContext, Measurement } from "./lib/types.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** What the user calls for the baseline: its `natster.global.<ME>.>` import maps it to `natster.global.<ME>.bench.whoami`. */
const PLAIN_OP = "bench.whoami";

/**
 * The baseline: a hand-written nats.js service in NATSTER_GLOBAL doing what `whoami` does on its
 * fast path (one KV get of PROJ_ACCOUNT[caller], the same envelope), reached by the user the same
 * way (through its global import; the caller's key written by NATS in token 3). Five tokens, so
 * no function trigger (`natster.global.*.*`, `natster.global.*.<group>.*`) sees it.
 */
async function startPlainService(nc: NatsConnection): Promise<() => void> {
  const kv = await new Kvm(nc).open(Stores.accountProjection);
  const sub = nc.subscribe(Subjects.globalFromCaller("*", PLAIN_OP), {
    callback: (_e, msg) => {
      const caller = msg.subject.split(".")[2] ?? "";
      void kv
        .get(caller)
        .then((entry) => {
          const account = entry && entry.operation === "PUT" ? entry.json<AccountProjection>() : undefined;
          const body =
            account && account.initialized_at > 0
              ? ok<WhoamiReply>({
                  account_key: caller,
                  initialized: account.initialized_at,
                  bound: account.bound_context !== undefined,
                })
              : fail(404, "NOT_FOUND", "this account is not initialized; run `natster init`");
          msg.respond(enc.encode(JSON.stringify(body)));
        })
        .catch((e: unknown) => msg.respond(enc.encode(JSON.stringify(fail(500, "INTERNAL", (e as Error).message)))));
    },
  });
  await nc.flush();
  return () => sub.unsubscribe();
}

/** One request/reply round trip in ms; the reply must be a 200 envelope. */
async function call(nc: NatsConnection, subject: string): Promise<{ ms: number; data: unknown }> {
  const started = performance.now();
  const reply = await nc.request(subject, new Uint8Array(), { timeout: 5000 });
  const envelope = JSON.parse(dec.decode(reply.data)) as { code: number; data: unknown; error?: string };
  const ms = performance.now() - started;
  if (envelope.code !== 200) throw new Error(`${subject} answered ${envelope.code}: ${envelope.error ?? ""}`);
  return { ms, data: envelope.data };
}

/**
 * fn.p50_vs_plain_service / fn.p99_vs_plain_service: sequential requests from an initialized user,
 * through its global import, to the deployed `global-root` function on the local Nex node (a fresh
 * V8 context per call, KV through host services) vs the plain service. Blocks alternate A/B, B/A.
 */
export const fnBench: Bench = {
  name: "fn",
  keys: ["fn.p50_vs_plain_service", "fn.p99_vs_plain_service"],
  async run(ctx: BenchContext): Promise<Measurement[]> {
    const world = await ctx.world();
    const user = world.owner;
    // The fast path of both sides: the account projection exists.
    const kv = await new Kvm(world.globalNc).open(Stores.accountProjection);
    await until(
      () => kv.get(user.key).then((e) => e ?? undefined),
      "the user's key in PROJ_ACCOUNT (is the trigger bridge running?)",
      30_000,
      100,
    );
    const serviceNc = await world.stack.connect("global", "bench-plain-service");
    const stop = await startPlainService(serviceNc);
    try {
      const fnSubject = Subjects.global("whoami");
      const plainSubject = Subjects.global(PLAIN_OP);
      const a = await call(user.nc, fnSubject);
      const b = await call(user.nc, plainSubject);
      if (JSON.stringify(a.data) !== JSON.stringify(b.data))
        throw new Error(`the two replies differ: ${JSON.stringify(a.data)} vs ${JSON.stringify(b.data)}`);
      for (let i = 0; i < 50; i++) {
        await call(user.nc, fnSubject);
        await call(user.nc, plainSubject);
      }
      const fn: number[] = [];
      const plain: number[] = [];
      const { fnRequests, fnBlocks } = ctx.sizes;
      const perBlock = Math.ceil(fnRequests / fnBlocks);
      for (let block = 0; block < fnBlocks; block++) {
        const sides =
          block % 2 === 0
            ? ([
                [fnSubject, fn],
                [plainSubject, plain],
              ] as const)
            : ([
                [plainSubject, plain],
                [fnSubject, fn],
              ] as const);
        for (const [subject, into] of sides)
          for (let i = 0; i < perBlock; i++) into.push((await call(user.nc, subject)).ms);
      }
      const stats = (xs: number[]) => ({ p50: percentile(xs, 50), p99: percentile(xs, 99) });
      const f = stats(fn);
      const p = stats(plain);
      ctx.log(
        `function p50 ${f.p50.toFixed(2)} ms p99 ${f.p99.toFixed(2)} ms; plain p50 ${p.p50.toFixed(2)} ms p99 ${p.p99.toFixed(2)} ms`,
      );
      const extra = {
        requests_each: fn.length,
        blocks: fnBlocks,
        fn_p90_ms: round(percentile(fn, 90)),
        plain_p90_ms: round(percentile(plain, 90)),
        fn_max_ms: round(Math.max(...fn)),
        plain_max_ms: round(Math.max(...plain)),
      };
      const notes = [
        "request → natster.global.whoami (user's import) → global-root on the in-process local Nex node (worker pool, fresh V8 context, KV PROJ_ACCOUNT through host services) → reply; baseline: a nats.js subscriber in NATSTER_GLOBAL doing the same KV get and reply, reached as natster.global.bench.whoami through the same import, running in the same process as the Nex node",
      ];
      return [
        { ...againstPlain("fn.p50_vs_plain_service", f.p50, p.p50, 1.5), extra, notes },
        { ...againstPlain("fn.p99_vs_plain_service", f.p99, p.p99, 2.0), extra },
      ];
    } finally {
      stop();
      await serviceNc.close();
    }
  },
};

/** One latency of the function against the same latency of the hand-written service. */
function againstPlain(key: string, fn: number, plain: number, maxRatio: number) {
  return {
    key,
    value: round(fn),
    unit: "ms",
    baselineLabel: "hand-written nats.js service, same KV read",
    baseline: round(plain),
    ratio: round(fn / plain),
    target: { kind: "max" as const, value: maxRatio },
  };
}
