import { execFile } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "@natster/node-kit";

export type CliResult = { code: number; stdout: string; stderr: string };

/** Runs the real `bin/natster` as a person would, with its own environment. */
export function runNatster(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      join(repoRoot, "bin/natster"),
      args,
      { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 16 * 2 ** 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export function parseJson<T>(r: CliResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`natster printed no JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
}
