import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stackPaths } from "@natster/identity";
import { StackError } from "./stack-error.ts";

/** What a stack dir was first started as: its JetStream state and resolver dirs depend on it. */
export type LayoutRecord = { servers: number };

const file = (dir: string) => join(stackPaths(dir).conf, "layout.json");

export function readLayoutRecord(dir: string): LayoutRecord | undefined {
  return existsSync(file(dir)) ? (JSON.parse(readFileSync(file(dir), "utf8")) as LayoutRecord) : undefined;
}

/**
 * Records the number of servers on first use; later, refuses another number: a single server's
 * state does not move into a cluster's dirs (nor back) by itself.
 */
export function checkLayoutRecord(dir: string, servers: number): void {
  const recorded = readLayoutRecord(dir);
  if (recorded && recorded.servers !== servers) {
    const was = recorded.servers === 1 ? "a single server" : `a cluster of ${recorded.servers}`;
    throw new StackError(
      "CLUSTER_MISMATCH",
      `the stack in ${dir} is ${was}: run \`natster up${recorded.servers === 1 ? "" : ` --cluster ${recorded.servers}`}\`, ` +
        `or start over with \`natster down && rm -rf ${dir}\``,
    );
  }
  if (!recorded) writeFileSync(file(dir), JSON.stringify({ servers } satisfies LayoutRecord) + "\n");
}
