/** `KEY=VALUE` arguments into an environment map; the value may contain `=`. */
export function parseEnvPairs(pairs: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new Error(`environment arguments must look like KEY=VALUE, got ${JSON.stringify(pair)}`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

/** `--timeout` as 0.x takes it (a Go duration: `500ms`, `2s`, `1m`) or plain milliseconds. */
export function parseDurationMs(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  if (!m) throw new Error(`not a duration: ${JSON.stringify(value)} (use e.g. 500ms, 2s or 1m)`);
  const n = Number(m[1]);
  const unit = m[2] ?? "ms";
  return Math.round(unit === "m" ? n * 60_000 : unit === "s" ? n * 1000 : n);
}

/** `--argv "a b c"` into arguments; whitespace separates them. */
export const splitArgv = (argv: string | undefined): string[] =>
  argv ? argv.split(/\s+/).filter((a) => a.length > 0) : [];

/** For repeatable options such as `--trigger_subject`. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
