/** Control and observability subjects of Nex 0.x (ec4c2b4 internal/node/controlapi.go, control-api/client.go). */
export const nexSubjects = {
  pingAll: "$NEX.PING",
  ping: (node: string) => `$NEX.PING.${node}`,
  auction: "$NEX.AUCTION",
  info: (ns: string, node: string) => `$NEX.INFO.${ns}.${node}`,
  deploy: (ns: string, node: string) => `$NEX.DEPLOY.${ns}.${node}`,
  stop: (ns: string, node: string) => `$NEX.STOP.${ns}.${node}`,
  workloadPing: (ns: string, workload?: string) => (workload ? `$NEX.WPING.${ns}.${workload}` : `$NEX.WPING.${ns}`),
  event: (ns: string, type: string) => `$NEX.events.${ns}.${type}`,
  log: (ns: string, node: string, workloadId: string) => `$NEX.logs.${ns}.${node}.${workloadId}`,
};

/** The namespace token of `$NEX.<op>.<ns>...`. */
export function namespaceOf(subject: string): string | undefined {
  return subject.split(".")[2];
}
