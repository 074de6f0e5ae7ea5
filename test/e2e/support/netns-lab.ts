/**
 * Separate hosts on one machine: one network namespace per host, each with a veth pair into a
 * bridge in the test's own namespace (which gets .254, so the test can reach every host). Only
 * private addresses in 10.231.<n>.0/24, with a subnet no interface here uses yet; every name
 * carries a random id, so parallel runs never collide. `destroy` kills what runs inside each
 * namespace by PID, then removes the links and namespaces; it is safe to call twice.
 */
import { execFileSync } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import { readlinkSync, statSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

export type LabHost = { name: string; ns: string; addr: string };

const ip = (...args: string[]): string =>
  execFileSync("ip", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

function explain(e: unknown): string {
  const err = e as { stderr?: string | Buffer; message?: string };
  return (err.stderr ? String(err.stderr) : (err.message ?? String(e))).trim();
}

export class NetnsLab {
  readonly hosts = new Map<string, LabHost>();
  private readonly links: string[] = [];
  private destroyed = false;

  private constructor(
    readonly id: string,
    readonly subnet: string,
    readonly bridge: string,
  ) {}

  /** Builds the lab, or throws an error that says why namespaces could not be made (never a skip). */
  static async create(names: string[]): Promise<NetnsLab> {
    const id = randomBytes(3).toString("hex");
    const lab = new NetnsLab(id, freeSubnet(), `n11${id}br`);
    try {
      lab.step(`bridge ${lab.bridge}`, () => {
        ip("link", "add", lab.bridge, "type", "bridge");
        lab.links.push(lab.bridge);
        ip("addr", "add", `${lab.subnet}.254/24`, "dev", lab.bridge);
        ip("link", "set", lab.bridge, "up");
      });
      names.forEach((name, i) => lab.addHost(name, i));
    } catch (e) {
      await lab.destroy();
      throw e;
    }
    return lab;
  }

  private step(what: string, work: () => void): void {
    try {
      work();
    } catch (e) {
      throw new Error(
        `multi-host e2e: cannot build the network namespaces (${what}): ${explain(e)}. ` +
          "This test needs root (CAP_NET_ADMIN) and iproute2 (`ip netns`, veth, bridge); it does not skip.",
      );
    }
  }

  private addHost(name: string, index: number): void {
    const host: LabHost = { name, ns: `n11${this.id}-${name}`, addr: `${this.subnet}.${index + 1}` };
    const outside = `n11${this.id}h${index}`;
    const inside = `n11${this.id}p${index}`;
    this.step(`host ${name} (${host.ns})`, () => {
      ip("netns", "add", host.ns);
      this.hosts.set(name, host);
      ip("link", "add", outside, "type", "veth", "peer", "name", inside);
      this.links.push(outside);
      ip("link", "set", outside, "master", this.bridge);
      ip("link", "set", outside, "up");
      ip("link", "set", inside, "netns", host.ns);
      ip("-n", host.ns, "addr", "add", `${host.addr}/24`, "dev", inside);
      ip("-n", host.ns, "link", "set", inside, "up");
      ip("-n", host.ns, "link", "set", "lo", "up");
    });
  }

  host(name: string): LabHost {
    const h = this.hosts.get(name);
    if (!h) throw new Error(`no host ${name} in the lab`);
    return h;
  }

  /** The command prefix that runs a program inside `name`'s namespace. */
  prefix(name: string): string[] {
    return ["ip", "netns", "exec", this.host(name).ns];
  }

  /** The PIDs running inside the namespace. */
  pids(name: string): number[] {
    const h = this.hosts.get(name);
    if (!h) return [];
    try {
      return ip("netns", "pids", h.ns).split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  }

  /** The network namespace inode of host `name` (what /proc/<pid>/ns/net of its processes points to). */
  nsInode(name: string): number {
    return statSync(`/run/netns/${this.host(name).ns}`).ino;
  }

  /** Stops every process inside the lab's namespaces by PID (SIGTERM, then SIGKILL), then removes links and namespaces. */
  async destroy(): Promise<string[]> {
    if (this.destroyed) return [];
    this.destroyed = true;
    const problems: string[] = [];
    const inside = [...this.hosts.keys()].flatMap((n) => this.pids(n));
    signal(inside, "SIGTERM");
    const deadline = Date.now() + 5_000;
    while (inside.some(alive) && Date.now() < deadline) await sleep(100);
    signal(inside.filter(alive), "SIGKILL");
    const remove = (what: string, ...args: string[]) => {
      try {
        ip(...args);
      } catch (e) {
        // A veth pair dies with either end (and with its namespace): gone is what we wanted.
        if (!/Cannot find device|No such file/.test(explain(e))) problems.push(`${what}: ${explain(e)}`);
      }
    };
    // veth pairs first (deleting one end deletes both), then the namespaces, then the bridge.
    for (const link of this.links.filter((l) => l !== this.bridge)) remove(`ip link del ${link}`, "link", "del", link);
    for (const host of this.hosts.values()) remove(`ip netns del ${host.ns}`, "netns", "del", host.ns);
    if (this.links.includes(this.bridge)) remove(`ip link del ${this.bridge}`, "link", "del", this.bridge);
    return problems;
  }
}

/** The network namespace a PID lives in, as the inode /proc/<pid>/ns/net links to (`net:[<inode>]`). */
export function netnsInodeOf(pid: number): number {
  const link = readlinkSync(`/proc/${pid}/ns/net`);
  const inode = /^net:\[(\d+)\]$/.exec(link)?.[1];
  if (!inode) throw new Error(`unexpected /proc/${pid}/ns/net: ${link}`);
  return Number(inode);
}

function freeSubnet(): string {
  const used = ip("-4", "-o", "addr");
  for (let i = 0; i < 50; i++) {
    const subnet = `10.231.${randomInt(1, 250)}`;
    if (!used.includes(` ${subnet}.`)) return subnet;
  }
  throw new Error("multi-host e2e: no free 10.231.<n>.0/24 subnet");
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signal(pids: number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}
