import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** What clients need to find a running stack; written by `natster up`, read by `natster init`. */
export type StackClientInfo = {
  /** The first server; `nats_urls` lists every one (a cluster has several). */
  nats_url: string;
  /** Every server's NATS URL: clients connect to any and fail over to the others by themselves. */
  nats_urls?: string[];
  ws_url: string;
  /** Every server's websocket URL (the web app's list). */
  ws_urls?: string[];
  http_url: string;
  web_url?: string;
  operator: string;
  accounts: { global: string; hub: string; public: string };
  /** Creds of the public account's shared user: it may only reach the authority and login claims. */
  public_creds: string;
};

export function writeClientInfo(path: string, info: StackClientInfo): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, JSON.stringify(info, null, 2) + "\n", { mode: 0o644 });
}

export function readClientInfo(path: string): StackClientInfo | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as StackClientInfo) : undefined;
}

/** Every NATS URL of the stack (files written before clusters carry only `nats_url`). */
export const stackNatsUrls = (info: Pick<StackClientInfo, "nats_url" | "nats_urls">): string[] =>
  info.nats_urls && info.nats_urls.length > 0 ? info.nats_urls : [info.nats_url];

/** Every websocket URL of the stack. */
export const stackWsUrls = (info: Pick<StackClientInfo, "ws_url" | "ws_urls">): string[] =>
  info.ws_urls && info.ws_urls.length > 0 ? info.ws_urls : [info.ws_url];

/** The servers as one comma-separated string, as `-s`, NATS_URL and the Nex workload environment take them. */
export const stackServers = (info: Pick<StackClientInfo, "nats_url" | "nats_urls">): string =>
  stackNatsUrls(info).join(",");
