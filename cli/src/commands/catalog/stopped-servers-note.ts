/** What stopping a catalog's servers came to: the workloads stopped, or why the stack could not be asked. */
export type StoppedServers = { stopped: string[] } | { unreachable: string };

/** What `catalog rm` tells the person about the catalog's server ("" when none was running). */
export function stoppedServersNote(catalog: string, servers: StoppedServers): string {
  if ("unreachable" in servers)
    return (
      `Could not check for a running catalog server (${servers.unreachable}): ` +
      `a \`natster catalog serve ${catalog}\` still running serves what it loaded until you stop it.`
    );
  return servers.stopped.length > 0 ? `Stopped its catalog server (workload ${servers.stopped.join(", ")}).` : "";
}
