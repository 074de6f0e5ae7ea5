/**
 * Looking at a `natster up --cluster N` stack from the operator's side: which server holds a
 * connection, what each server's replica of every stream holds, and a client that measures its
 * own fail-over. Reads only the monitoring endpoints and the stack's own creds.
 */
import { credsAuthenticator, type NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isPortFree } from "../../../infra/stack/ports.ts";
import { readPids, type TrackedProcess } from "../../../infra/stack/pid-file.ts";

export type StreamState = { messages: number; bytes: number; first_seq: number; last_seq: number };
type Jsz = { account_details?: { id: string; stream_detail?: { name: string; state: StreamState }[] }[] };
type Connz = { connections: { name?: string }[] };

/** A client port block for `up --cluster 3`: client B, ws B+1, http B+2, cluster B+3, each +10 and +20 for servers 2 and 3. */
export async function freeClusterPorts(
  servers = 3,
): Promise<{ client: number; ws: number; http: number; cluster: number }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + 100 * Math.floor(Math.random() * 300);
    const ports = Array.from({ length: servers }, (_, i) => [0, 1, 2, 3].map((k) => base + 10 * i + k)).flat();
    const free = await Promise.all(ports.map((p) => isPortFree("127.0.0.1", p)));
    if (free.every(Boolean)) return { client: base, ws: base + 1, http: base + 2, cluster: base + 3 };
  }
  throw new Error("no free block of ports for a 3-server cluster");
}

/** The stack's PID file entry of one component (what `natster up` started). */
export function trackedProcess(stackDir: string, name: string): TrackedProcess {
  const p = readPids(join(stackDir, "run", "pids.json"))[name];
  if (!p) throw new Error(`${name} is not in ${stackDir}/run/pids.json`);
  return p;
}

/** The monitoring URL of each server whose connections include one named `name`. */
export async function serversHolding(httpUrls: string[], name: string): Promise<string[]> {
  const holding: string[] = [];
  for (const url of httpUrls) {
    const connz = await fetch(`${url}/connz?limit=1024`).then(
      (r) => r.json() as Promise<Connz>,
      () => undefined,
    );
    if (connz?.connections.some((c) => c.name === name)) holding.push(url);
  }
  return holding;
}

/** What one server's replica of each stream of `account` holds, or undefined when the server does not answer. */
export async function streamStates(httpUrl: string, account: string): Promise<Record<string, StreamState> | undefined> {
  const jsz = await fetch(`${httpUrl}/jsz?accounts=true&streams=true&acc=${account}`).then(
    (r) => (r.ok ? (r.json() as Promise<Jsz>) : undefined),
    () => undefined,
  );
  const detail = jsz?.account_details?.find((a) => a.id === account);
  if (!detail) return undefined;
  return Object.fromEntries(
    (detail.stream_detail ?? []).map((s) => [
      s.name,
      { messages: s.state.messages, bytes: s.state.bytes, first_seq: s.state.first_seq, last_seq: s.state.last_seq },
    ]),
  );
}

/**
 * A client pinned to `first` (then the others, in order), as `connectWithCreds` makes them: it
 * reconnects without limit. `failedOverAt` resolves with the time of its first reconnect (undefined
 * if it closed without one).
 */
export async function pinnedClient(
  urls: string[],
  credsFile: string,
): Promise<{ nc: NatsConnection; failedOverAt: Promise<number | undefined> }> {
  const nc = await connect({
    servers: urls,
    noRandomize: true,
    authenticator: credsAuthenticator(readFileSync(credsFile)),
    name: "natster-e2e-failover-probe",
    maxReconnectAttempts: -1,
  });
  const failedOverAt = (async () => {
    for await (const s of nc.status()) if (s.type === "reconnect") return Date.now();
    return undefined;
  })();
  return { nc, failedOverAt };
}
