import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** What clients need to find a running stack; written by `natster up`, read by `natster init`. */
export type StackClientInfo = {
  nats_url: string;
  ws_url: string;
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
