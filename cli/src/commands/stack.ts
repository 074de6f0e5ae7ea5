import type { Command } from "commander";
import { DEFAULT_CLUSTER_PORT, parseClusterSize } from "../../../infra/stack/cluster-layout.ts";
import { DEFAULT_PORTS } from "../../../infra/stack/server-process.ts";
import { parseNexKind, type NexKind } from "../../../infra/stack/stack-versions.ts";
import { emit, type GlobalOptions } from "../output.ts";

const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`'${value}' is not a TCP port`);
  return n;
};

export function registerStackCommands(program: Command, globals: () => GlobalOptions): void {
  program
    .command("up")
    .description(
      "start the local stack (nats-server, the global service and the account authority on a Nex node, the hub's demo catalog, the web app) in the background; again, it starts what does not run",
    )
    .option("--port <n>", "NATS client port", port, Number(process.env.NATSTER_PORT ?? DEFAULT_PORTS.client))
    .option("--http-port <n>", "monitoring port", port, Number(process.env.NATSTER_HTTP_PORT ?? DEFAULT_PORTS.http))
    .option("--ws-port <n>", "websocket port", port, Number(process.env.NATSTER_WS_PORT ?? DEFAULT_PORTS.ws))
    .option("--web-port <n>", "web app port (default 4280 with the default NATS port, else any free port)", port)
    .option(
      "--listen <addr>",
      "address nats-server and the web app bind to; stack-client.json carries it (0.0.0.0 only if you mean it)",
      process.env.NATSTER_LISTEN ?? "127.0.0.1",
    )
    .option(
      "--cluster <n>",
      "run N nats-servers as a cluster (R3 JetStream) and two global Nex nodes; server i uses every port + 10 × (i - 1)",
      parseClusterSize,
      1,
    )
    .option(
      "--cluster-port <n>",
      "cluster (route) port of the first server with --cluster",
      port,
      Number(process.env.NATSTER_CLUSTER_PORT ?? DEFAULT_CLUSTER_PORT),
    )
    .option(
      "--nex <kind>",
      "which Nex node runs the global service: local (embedded) or real (Nex 0.x from .tools/bin)",
      parseNexKind,
      "local",
    )
    .action(
      async (o: {
        port: number;
        httpPort: number;
        wsPort: number;
        webPort?: number;
        listen: string;
        nex: NexKind;
        cluster: number;
        clusterPort: number;
      }) => {
        const g = globals();
        // Loaded on use: the stack pulls in the bundlers and the Nex client, which every other command would pay for at start-up.
        const { stackUp } = await import("../../../infra/stack/stack.ts");
        const { parseListenAddress } = await import("../../../infra/stack/listen.ts");
        const info = await stackUp({
          host: parseListenAddress(o.listen),
          env: process.env,
          ports: { client: o.port, http: o.httpPort, ws: o.wsPort, cluster: o.clusterPort },
          cluster: o.cluster,
          webPort: o.webPort ?? (process.env.NATSTER_WEB_PORT ? Number(process.env.NATSTER_WEB_PORT) : undefined),
          log: (line) => !g.json && process.stderr.write(`${line}\n`),
          nex: o.nex,
        });
        emit(g, info, () =>
          [
            info.already_running ? "Natster stack is already running." : "Natster stack is up.",
            `  NATS:       ${(info.nats_urls ?? [info.nats_url]).join(", ")}`,
            `  WebSocket:  ${(info.ws_urls ?? [info.ws_url]).join(", ")}`,
            ...(info.cluster.servers > 1
              ? [
                  `  Cluster:    ${info.cluster.servers} servers, JetStream R${info.cluster.replicas}, ${info.components.filter((c) => c.name.startsWith("nex-node")).length} global Nex nodes`,
                ]
              : []),
            `  Monitoring: ${info.http_url}`,
            `  Server:     nats-server ${info.nats_server?.version ?? "?"} (${info.nats_server?.bin ?? "?"})`,
            `  Nex node:   ${info.nex?.kind ?? "?"} ${info.nex?.version ?? ""}`,
            `  Web:        ${info.web_url ?? "(not running)"}`,
            `  State:      ${info.stack_dir}`,
            `  Clients:    ${info.client_info}`,
            "Next: natster init, then natster login to open the web app    (stop with: natster down)",
            `Another machine needs only ${info.client_info} (copy it into its NATSTER_HOME).`,
          ].join("\n"),
        );
      },
    );

  program
    .command("down")
    .description("stop what `natster up` started (by PID), and nothing else")
    .action(async () => {
      const { stackDown } = await import("../../../infra/stack/stack.ts");
      const stopped = await stackDown(process.env);
      emit(globals(), { stopped }, () =>
        stopped.length === 0
          ? "Nothing was running."
          : stopped.map((s) => `stopped ${s.name} (pid ${s.pid})`).join("\n"),
      );
    });

  program
    .command("status")
    .description("say what of the local stack runs")
    .action(async () => {
      const { stackStatus, stackVersions } = await import("../../../infra/stack/stack.ts");
      const components = stackStatus(process.env);
      const running = components.length > 0 && components.every((c) => c.running);
      const versions = components.length > 0 ? stackVersions(process.env) : {};
      emit(globals(), { running, components, ...versions }, () =>
        components.length === 0
          ? "The local stack is not running (start it with: natster up)."
          : [
              ...components.map((c) => `${c.running ? "running" : "stopped"}  ${c.name} (pid ${c.pid})`),
              `nats-server ${versions.nats_server?.version ?? "?"} (${versions.nats_server?.bin ?? "?"}); Nex node: ${versions.nex?.kind ?? "?"} ${versions.nex?.version ?? ""}` +
                (versions.cluster && versions.cluster.servers > 1
                  ? `; cluster of ${versions.cluster.servers} servers, JetStream R${versions.cluster.replicas}`
                  : ""),
            ].join("\n"),
      );
      if (!running) process.exitCode = 3;
    });
}
