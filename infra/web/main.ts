#!/usr/bin/env node
/**
 * The web server as its own process (what `natster up` can spawn detached):
 *   tsx infra/web/main.ts [--port 4280] [--host 127.0.0.1] [--dist web/dist] [--client-info <stack-client.json>] [--build]
 * `/stack.json` comes from the stack's client info (ws_url, every ws_urls, public_creds). SIGINT/SIGTERM stop it.
 */
import { parseArgs } from "node:util";
import { clientInfoPath, readClientInfo, stackWsUrls } from "@natster/identity";
import { buildWeb } from "./build.ts";
import { startWebServer } from "./server.ts";
import { WEB_DIST } from "./vite-config.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4280" },
    host: { type: "string", default: "127.0.0.1" },
    dist: { type: "string", default: WEB_DIST },
    "client-info": { type: "string", default: clientInfoPath() },
    build: { type: "boolean", default: false },
  },
});

const info = readClientInfo(values["client-info"]);
if (!info) {
  process.stderr.write(`no stack client info at ${values["client-info"]}: run \`natster up\` first\n`);
  process.exit(1);
}
if (values.build) await buildWeb(values.dist);
const server = await startWebServer({
  host: values.host,
  port: Number(values.port),
  distDir: values.dist,
  stackJson: { ws_url: info.ws_url, ws_urls: stackWsUrls(info), public_creds: info.public_creds },
});
process.stdout.write(`natster web: ${server.url}\n`);
const stop = () => void server.stop().then(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
