import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export type NexKind = "local" | "real";

/** What `natster up` started, for `natster status`: the nats-server binary and which Nex node runs. */
export type StackVersions = {
  nats_server: { bin: string; version: string };
  nex: { kind: NexKind; version: string; bin?: string };
};

const file = (runDir: string) => join(runDir, "versions.json");

export function readVersions(runDir: string): Partial<StackVersions> {
  return existsSync(file(runDir)) ? (JSON.parse(readFileSync(file(runDir), "utf8")) as Partial<StackVersions>) : {};
}

export function recordVersions(runDir: string, update: Partial<StackVersions>): void {
  writeFileSync(file(runDir), JSON.stringify({ ...readVersions(runDir), ...update }, null, 2) + "\n");
}

export function parseNexKind(value: string): NexKind {
  if (value !== "local" && value !== "real") throw new Error(`--nex must be 'local' or 'real', not '${value}'`);
  return value;
}
