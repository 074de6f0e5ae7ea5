#!/usr/bin/env node
/**
 * The JetStream trigger bridge as a Nex native workload. Its connection comes from the Nex
 * workload env; its triggers from NATSTER_BRIDGE_CONFIG (a JSON array of JetStreamTriggerSpec).
 */
import { connectFromWorkloadEnv, runWorkload } from "@natster/node-kit";
import { startTriggerBridge } from "./bridge.ts";
import { parseBridgeConfig } from "./config.ts";

// Nex and the stack give a workload a few seconds after SIGTERM: it exits before that, whatever is in hand.
// Unsettled messages are redelivered after ack_wait: leaving late loses nothing.
void runWorkload({ name: "trigger-bridge", shutdownDeadlineMs: 4000 }, async (log) => {
  const specs = parseBridgeConfig(process.env.NATSTER_BRIDGE_CONFIG);
  const nc = await connectFromWorkloadEnv(process.env, "natster-trigger-bridge");
  const readsNc = await connectFromWorkloadEnv(process.env, "natster-trigger-bridge-reads");
  const bridge = await startTriggerBridge({ nc, readsNc, specs, log });
  log(`ready: ${specs.map((s) => `${s.stream}/${s.durable} -> ${s.trigger_subject}`).join(", ")}`);
  return { stop: () => bridge.stop(), connections: [nc, readsNc] };
});
