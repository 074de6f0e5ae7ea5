import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import { nexSubjects } from "nex-node";
import { isAlive } from "../../../../infra/stack/processes.ts";

export type OrphanWatch = { orphaned: Promise<string>; stop(): void };

export type OrphanWatchOptions = {
  nc: NatsConnection;
  serverUrl: string;
  /** The node and workload followed; without them only the server is watched (`--foreground`). */
  workload?: { namespace: string; nodeId: string; workloadId: string };
  /** The node's PID when it runs on this machine (a SIGKILLed node says nothing on the wire). */
  nodePid?: number;
  /** How long a lost connection may try to come back before the server counts as gone. */
  reconnectGraceMs?: number;
  pollMs?: number;
};

type Undeployed = { data?: { workload_id?: string; reason?: string } };
type NodeStopped = { data?: { id?: string } };

/**
 * Resolves with what went away, once the command that follows a workload has nothing left to
 * follow: the node's process exited, the node announced it stopped, the workload was undeployed
 * (stopped by someone else, replaced, or gave up restarting), or the NATS server is gone.
 */
export function watchForOrphan(o: OrphanWatchOptions): OrphanWatch {
  const subs: Subscription[] = [];
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;
  let settle: (why: string) => void = () => undefined;
  const orphaned = new Promise<string>((resolve) => {
    settle = (why) => {
      if (stopped) return;
      stop();
      resolve(why);
    };
  });
  const stop = () => {
    stopped = true;
    for (const t of timers) clearInterval(t);
    for (const s of subs) s.unsubscribe();
  };

  const w = o.workload;
  if (w && o.nodePid !== undefined) {
    const pid = o.nodePid;
    timers.push(
      setInterval(() => !isAlive(pid) && settle(`your Nex node ${w.nodeId} (pid ${pid}) exited`), o.pollMs ?? 500),
    );
  }
  if (w)
    subs.push(
      o.nc.subscribe(nexSubjects.event("system", "node_stopped"), {
        callback: (_e, m) => {
          if (safeJson<NodeStopped>(m.data)?.data?.id === w.nodeId) settle(`your Nex node ${w.nodeId} stopped`);
        },
      }),
      o.nc.subscribe(nexSubjects.event(w.namespace, "workload_undeployed"), {
        callback: (_e, m) => {
          const d = safeJson<Undeployed>(m.data)?.data;
          if (d?.workload_id === w.workloadId)
            settle(`the catalog server workload ${w.workloadId} was undeployed (${d.reason ?? "no reason given"})`);
        },
      }),
    );
  void followConnection(o, settle, timers);
  return { orphaned, stop };
}

async function followConnection(
  o: OrphanWatchOptions,
  settle: (why: string) => void,
  timers: NodeJS.Timeout[],
): Promise<void> {
  const gone = `lost the NATS server at ${o.serverUrl}`;
  void o.nc.closed().then(() => settle(gone));
  let grace: NodeJS.Timeout | undefined;
  for await (const s of o.nc.status()) {
    if (s.type === "disconnect" && !grace) {
      grace = setTimeout(
        () => settle(`${gone} (it did not come back within ${o.reconnectGraceMs ?? 5_000} ms)`),
        o.reconnectGraceMs ?? 5_000,
      );
      timers.push(grace);
    } else if (s.type === "reconnect" && grace) {
      clearTimeout(grace);
      grace = undefined;
    }
  }
}

function safeJson<T>(data: Uint8Array): T | undefined {
  try {
    return JSON.parse(new TextDecoder().decode(data)) as T;
  } catch {
    return undefined;
  }
}
