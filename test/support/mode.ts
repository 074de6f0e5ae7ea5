export type NatsMode = "container" | "process";

/** `NATSTER_TEST_NATS=process` runs nats-server as a child process; containers (podman) are the default. */
export function natsMode(env: Record<string, string | undefined> = process.env): NatsMode {
  const mode = env.NATSTER_TEST_NATS ?? "container";
  if (mode !== "container" && mode !== "process") throw new Error(`NATSTER_TEST_NATS must be 'container' or 'process', not '${mode}'`);
  return mode;
}

export const NATS_IMAGE = "localhost/natster-nats:latest";
