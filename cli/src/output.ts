import Table from "cli-table3";
import { NatsterError } from "@natster/protocol";
import { StackError } from "../../infra/stack/stack-error.ts";

export type GlobalOptions = { json?: boolean; context?: string; server?: string };

/** Prints `value` as JSON with --json, else the human text. */
export function emit(opts: GlobalOptions, value: unknown, human: () => string): void {
  process.stdout.write(opts.json ? JSON.stringify(value, null, 2) + "\n" : human() + "\n");
}

/** Every failure leaves with a stable code, a message that says what to do, and exit code 1. */
export function reportError(e: unknown, json: boolean): never {
  const code = e instanceof NatsterError || e instanceof StackError ? e.code : "INTERNAL";
  const message = e instanceof Error ? e.message : String(e);
  if (json) process.stdout.write(JSON.stringify({ error: { code, message } }, null, 2) + "\n");
  else process.stderr.write(`natster: error [${code}]: ${message}\n`);
  process.exit(1);
}

/** A table that is coloured on a terminal and plain when piped. */
export function table(head: string[]): Table.Table {
  const tty = process.stdout.isTTY === true;
  return new Table({ head, style: { head: tty ? ["cyan"] : [], border: tty ? ["grey"] : [] } });
}
