import type { Command } from "commander";
import type { EmittedLog } from "../../control/types.ts";
import type { CloudEvent } from "../../events.ts";
import { cliContext, connectCli, type GlobalFlags } from "../context.ts";

const dec = new TextDecoder();

/** `nex logs` and `nex events`: subscribe and print until interrupted. */
export function registerMonitors(program: Command, globals: () => GlobalFlags): void {
  program
    .command("logs")
    .description("print workload logs ($NEX.logs.<namespace>.<node>.<workload>)")
    .option("--workload <id>", "only this workload")
    .option("--node <id>", "only this node")
    .action(async (flags: { workload?: string; node?: string }) => {
      const ctx = cliContext(globals());
      const subject = `$NEX.logs.${ctx.namespace}.${flags.node ?? "*"}.${flags.workload ?? "*"}`;
      await follow(ctx, subject, (data, subj) => {
        const log = JSON.parse(dec.decode(data)) as EmittedLog;
        const [, , , node = "", workload = ""] = subj.split(".");
        return ctx.flags.json
          ? JSON.stringify({ node_id: node, workload_id: workload, ...log })
          : `[${workload}] ${log.text}`;
      });
    });

  program
    .command("events")
    .description("print node and workload events ($NEX.events.<namespace>.<type>)")
    .option("--type <type>", "only events of this type, e.g. function_exec_failed")
    .action(async (flags: { type?: string }) => {
      const ctx = cliContext(globals());
      await follow(ctx, `$NEX.events.${ctx.namespace}.${flags.type ?? "*"}`, (data) => {
        if (ctx.flags.json) return dec.decode(data);
        const event = JSON.parse(dec.decode(data)) as CloudEvent;
        return `${event.time} ${event.type} ${event.source} ${JSON.stringify(event.data)}`;
      });
    });
}

async function follow(
  ctx: ReturnType<typeof cliContext>,
  subject: string,
  format: (data: Uint8Array, subject: string) => string,
): Promise<void> {
  const nc = await connectCli(ctx, "nex-monitor");
  const sub = nc.subscribe(subject);
  const stop = () => sub.unsubscribe();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  for await (const m of sub) {
    try {
      process.stdout.write(format(m.data, m.subject) + "\n");
    } catch {
      process.stdout.write(`${m.subject} ${dec.decode(m.data)}\n`);
    }
  }
  await nc.close();
}
