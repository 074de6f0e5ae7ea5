import { spawn } from "node:child_process";
import { tsxCommand } from "@natster/node-kit";
import { until } from "@natster/test-kit";

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

export type BridgeProcess = {
  pid: number;
  output(): string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  kill(signal: NodeJS.Signals): void;
  exited: Promise<Exit>;
};

/** Runs `src/main.ts` as a Nex node would: a child process given only the workload env. */
export function startBridgeProcess(env: Record<string, string>): BridgeProcess {
  const { command, args } = tsxCommand("workloads/trigger-bridge/src/main.ts");
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid === undefined) throw new Error("could not start the trigger bridge process");
  let output = "";
  const collect = (chunk: Buffer) => (output += chunk.toString("utf8"));
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const exited = new Promise<Exit>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return {
    pid: child.pid,
    output: () => output,
    waitForOutput: (pattern, timeoutMs = 15_000) =>
      until(
        () => pattern.test(output) || child.exitCode !== null,
        () => `${pattern} in the bridge output:\n${output}`,
        timeoutMs,
      ).then(() => {
        if (!pattern.test(output))
          throw new Error(`the bridge exited (${child.exitCode}) before printing ${pattern}:\n${output}`);
      }),
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    exited,
  };
}
