/** Prints `value` as JSON with --json, else the human text. */
export function emit(json: boolean | undefined, value: unknown, human: () => string): void {
  process.stdout.write(json ? JSON.stringify(value, null, 2) + "\n" : human() + "\n");
}

/** A plain left-aligned table. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)].join("\n");
}

export const formatTags = (tags: Record<string, string> | undefined): string =>
  Object.entries(tags ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(",");

export function reportError(e: unknown, json: boolean): never {
  const message = e instanceof Error ? e.message : String(e);
  if (json)
    process.stdout.write(
      JSON.stringify({ error: { name: e instanceof Error ? e.name : "Error", message } }, null, 2) + "\n",
    );
  else process.stderr.write(`nex: error: ${message}\n`);
  process.exit(1);
}
