import { connectWithCreds } from "@natster/node-kit";
import { NatsterError } from "@natster/protocol";
import type { Command } from "commander";
import { existsSync, readFileSync } from "node:fs";
import { rebuildProjections, type CatchUpProgress } from "../../../infra/global/rebuild.ts";
import { stackCredsPath, stackServers, stackDir } from "@natster/identity";
import { requireStack } from "../context/resolve.ts";
import { emit, type GlobalOptions } from "../output.ts";

const progressLine = (progress: CatchUpProgress[]): string =>
  "replaying: " +
  progress.map((p) => (p.exists ? `${p.durable} ${p.acked}/${p.last_seq}` : `${p.durable} starting`)).join(", ");

/** Progress on stderr: one line rewritten in place on a terminal; when piped, a line every few seconds and the last one. */
function progressPrinter(enabled: boolean) {
  const tty = process.stderr.isTTY === true;
  let last = "";
  let printed = "";
  let printedAt = 0;
  const print = (text: string) => {
    printed = text;
    printedAt = Date.now();
    process.stderr.write(`${text}\n`);
  };
  return {
    line(text: string) {
      if (enabled) process.stderr.write(tty ? `\r\x1b[2K${text}\n` : `${text}\n`);
    },
    progress(p: CatchUpProgress[]) {
      const text = progressLine(p);
      if (!enabled || text === last) return;
      last = text;
      if (tty) process.stderr.write(`\r\x1b[2K${text}`);
      else if (Date.now() - printedAt >= 2000) print(text);
    },
    done() {
      if (!enabled || !last) return;
      if (tty) process.stderr.write("\n");
      else if (printed !== last) print(last);
    },
  };
}

export function registerAdminCommands(program: Command, globals: () => GlobalOptions): void {
  const admin = program
    .command("admin")
    .description("operate the local stack's global service (as the NATSTER_GLOBAL account)");
  admin
    .command("rebuild-projections")
    .description("drop PROJ_ACCOUNT, PROJ_CATALOG, PROJ_STATS and their consumers, and replay the event log into them")
    .option("--timeout <seconds>", "how long the replay may take", (v) => Number(v), 600)
    .action(async (o: { timeout: number }) => {
      const g = globals();
      const dir = stackDir(process.env);
      const credsFile = stackCredsPath(dir, "global");
      if (!existsSync(credsFile))
        throw new NatsterError(
          "NOT_FOUND",
          `${credsFile} is missing: rebuild-projections runs on the machine that ran \`natster up\``,
        );
      if (!Number.isFinite(o.timeout) || o.timeout <= 0)
        throw new NatsterError("BAD_REQUEST", "--timeout must be a positive number of seconds");
      const url = g.server ?? stackServers(requireStack());
      const nc = await connectWithCreds(url, readFileSync(credsFile), "natster_admin").catch((e: unknown) => {
        throw new NatsterError(
          "INTERNAL",
          `cannot reach NATS at ${url} (${(e as Error).message}): is the stack up? (natster status)`,
        );
      });
      const out = progressPrinter(g.json !== true);
      try {
        const result = await rebuildProjections(nc, {
          stackDir: dir,
          natsUrl: url,
          timeoutMs: o.timeout * 1000,
          log: (line) => out.line(line),
          onProgress: (p) => out.progress(p),
        });
        out.done();
        emit(
          g,
          result,
          () =>
            `Rebuilt PROJ_ACCOUNT, PROJ_CATALOG and PROJ_STATS from ${result.events} events in ${result.seconds.toFixed(2)} s.`,
        );
      } finally {
        await nc.close();
      }
    });
}
