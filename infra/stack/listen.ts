import { isIP } from "node:net";
import { networkInterfaces } from "node:os";
import { StackError } from "./stack-error.ts";

/** Servers bind to loopback unless the operator asks otherwise. */
export const DEFAULT_LISTEN = "127.0.0.1";

const WILDCARDS = new Set(["0.0.0.0"]);
const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** An IPv4 address or a host name to bind nats-server (client, websocket, monitoring) and the web app to. */
export function parseListenAddress(value: string): string {
  const addr = value.trim();
  if (isIP(addr) === 6)
    throw new StackError(
      "BAD_LISTEN",
      `--listen ${value}: IPv6 addresses are not supported yet; give an IPv4 address or a host name`,
    );
  if (isIP(addr) === 4 || HOSTNAME.test(addr)) return addr;
  throw new StackError(
    "BAD_LISTEN",
    `--listen ${JSON.stringify(value)} is not an IPv4 address or a host name (e.g. --listen 192.168.1.10)`,
  );
}

/**
 * The address clients are told to use. A wildcard bind (0.0.0.0, only when asked for) is not an
 * address anyone can dial, so clients get this machine's first non-loopback IPv4 address instead.
 */
export function advertisedHost(listen: string, interfaces = networkInterfaces()): string {
  if (!WILDCARDS.has(listen)) return listen;
  for (const addrs of Object.values(interfaces)) {
    const found = addrs?.find((a) => a.family === "IPv4" && !a.internal);
    if (found) return found.address;
  }
  return DEFAULT_LISTEN;
}

/** `url` with the bind address swapped for the advertised one (the same string when they are equal). */
export const advertisedUrl = (url: string, bind: string, advertised: string): string =>
  url.replace(`//${bind}:`, `//${advertised}:`);

/** The address a running nats-server was configured to bind to (from its config file), if readable. */
export function configuredListenHost(configText: string): string | undefined {
  return /^listen:\s*"(.+):\d+"\s*$/m.exec(configText)?.[1];
}
