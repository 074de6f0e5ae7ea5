import { workloadEnvFromCreds } from "@natster/node-kit";
import type { JetStreamTriggerSpec } from "@natster/protocol";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TestStack } from "../../../test/support/test-stack.ts";
import { startTriggerBridge, type TriggerBridge } from "../src/bridge.ts";
import { startBridgeProcess, type BridgeProcess } from "./bridge-process.ts";

/** An in-process bridge on its own NATSTER_GLOBAL connection, stopped with the stack; its log lines are collected. */
export async function runBridge(
  stack: TestStack,
  specs: JetStreamTriggerSpec[],
): Promise<{ bridge: TriggerBridge; lines: string[] }> {
  const nc = await stack.connect("global", "trigger-bridge");
  const lines: string[] = [];
  const bridge = await startTriggerBridge({ nc, specs, log: (line) => lines.push(line) });
  stack.defer(() => bridge.stop());
  return { bridge, lines };
}

/** `src/main.ts` as a child process with the Nex workload env of the stack's NATSTER_GLOBAL user; killed with the stack. */
export function runBridgeProcess(stack: TestStack, specs: JetStreamTriggerSpec[]): BridgeProcess {
  const creds = readFileSync(join(stack.dir, "creds", "global.creds"), "utf8");
  const bridge = startBridgeProcess({
    ...workloadEnvFromCreds(stack.url, creds),
    NATSTER_BRIDGE_CONFIG: JSON.stringify(specs),
  });
  stack.defer(() => {
    bridge.kill("SIGKILL");
    return bridge.exited;
  });
  return bridge;
}
