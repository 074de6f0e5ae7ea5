import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { tsxCommand } from "@natster/node-kit";
import { nativeAeadSwitch } from "../lib/child.ts";
import { onCleanup } from "../lib/cleanup.ts";
import type { World } from "../lib/world.ts";
import { RECEIVER_READY, type ReceiverRequest, type ReceiverResponse } from "./protocol.ts";

export type ReceiverProcess = {
  pid: number;
  /** Runs one download in the receiver process; throws when it failed. */
  download(request: ReceiverRequest): Promise<Extract<ReceiverResponse, { ok: true }>>;
  stop(): Promise<void>;
};

/** Starts the friend's receiver as a child process (bench/transfer-receiver/main.ts) and waits until it is connected. */
export async function startReceiverProcess(world: World): Promise<ReceiverProcess> {
  const { command, args } = tsxCommand("bench/transfer-receiver/main.ts");
  const child = spawn(command, args, {
    env: {
      PATH: process.env.PATH ?? "",
      ...nativeAeadSwitch(),
      BENCH_NATS_URL: world.stack.url,
      BENCH_CREDS: await world.friend.credsText("bench-receiver"),
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error("the receiver process did not start");
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => void (stderr = (stderr + chunk.toString("utf8")).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async (what: string): Promise<string> => {
    const line = await lines.next();
    if (line.done) throw new Error(`the receiver process exited while ${what}:\n${stderr}`);
    return line.value;
  };
  const release = onCleanup(`receiver process (pid ${pid})`, async () => {
    child.stdin.end();
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  });
  try {
    const ready = await nextLine("connecting");
    if (ready !== RECEIVER_READY) throw new Error(`the receiver process said ${ready}`);
  } catch (error) {
    await release();
    throw error;
  }
  return {
    pid,
    async download(request) {
      child.stdin.write(`${JSON.stringify(request)}\n`);
      const response = JSON.parse(await nextLine("downloading")) as ReceiverResponse;
      if (!response.ok) throw new Error(`the receiver failed: ${response.error}`);
      return response;
    },
    stop: release,
  };
}
