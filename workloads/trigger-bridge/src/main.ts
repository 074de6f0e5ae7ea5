#!/usr/bin/env node
/**
 * The JetStream trigger bridge as a Nex native workload. Its connection comes from the Nex
 * workload env; its triggers from NATSTER_BRIDGE_CONFIG (a JSON array of JetStreamTriggerSpec).
 */
import { connectFromWorkloadEnv } from "@natster/node-kit";
import { startTriggerBridge } from "./bridge.ts";
import { parseBridgeConfig } from "./config.ts";

/** Nex and the stack give a workload a few seconds after SIGTERM; exit before that, whatever is in hand. */
const SHUTDOWN_DEADLINE_MS = 4000;

const log = (line: string) => process.stdout.write(`${new Date().toISOString()} trigger-bridge: ${line}\n`);

async function main(): Promise<void> {
  const specs = parseBridgeConfig(process.env.NATSTER_BRIDGE_CONFIG);
  const nc = await connectFromWorkloadEnv(process.env, "natster-trigger-bridge");
  const bridge = await startTriggerBridge({ nc, specs, log });
  log(`ready: ${specs.map((s) => `${s.stream}/${s.durable} -> ${s.trigger_subject}`).join(", ")}`);

  const shutdown = async (signal: string) => {
    log(`${signal}: stopping`);
    // Unsettled messages are redelivered after ack_wait: leaving late loses nothing.
    setTimeout(() => process.exit(0), SHUTDOWN_DEADLINE_MS).unref();
    await bridge.stop();
    await nc.drain().catch(() => undefined);
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((e: unknown) => {
  log(`fatal: ${(e as Error).message}`);
  process.exit(1);
});
