import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { findNatsServer } from "../../infra/stack/nats-binary.ts";

export type NatsMode = "container" | "process";

/** `NATSTER_TEST_NATS=process` runs nats-server as a child process; containers (podman) are the default. */
export function natsMode(env: Record<string, string | undefined> = process.env): NatsMode {
  const mode = env.NATSTER_TEST_NATS ?? "container";
  if (mode !== "container" && mode !== "process")
    throw new Error(`NATSTER_TEST_NATS must be 'container' or 'process', not '${mode}'`);
  return mode;
}

/**
 * The local image infra/containers/build-nats-image.sh built from the same nats-server the process mode runs
 * (tagged by the binary's checksum, so checkouts that build different servers never swap each other's image).
 */
export function natsImage(): string {
  const bin = findNatsServer();
  if (!bin) throw new Error("nats-server not found: run scripts/setup.sh --test");
  return `localhost/natster-nats:${createHash("sha256").update(readFileSync(bin)).digest("hex").slice(0, 16)}`;
}
