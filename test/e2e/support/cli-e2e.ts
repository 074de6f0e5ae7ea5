/**
 * Drives the real `bin/natster` the way a person would: one NATSTER_HOME per user, a real stack
 * from `natster up`, long-running commands (`catalog serve`, a download) as child processes that
 * are stopped by PID. Nothing here sleeps blindly: every wait is an event or a bounded poll that
 * says what it waited for.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  closeSync,
  copyFileSync,
  createReadStream,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import type { StackClientInfo } from "@natster/identity";
import { freePort } from "../../../infra/stack/ports.ts";
import { repoRoot } from "@natster/node-kit";

export const NATSTER = join(repoRoot, "bin/natster");

/** `natster up`, three or four accounts and a served catalog: generous, the CI box may be busy. */
export const SETUP_TIMEOUT_MS = 240_000;
/** Every serve stopped (SIGINT, SIGKILL after 5 s) and `natster down`. */
export const TEARDOWN_TIMEOUT_MS = 90_000;

export type CliResult = {
  args: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
};

export type ErrorReply = { error: { code: string; message: string } };

/** Variables of the test runner that would point a CLI at the wrong home, stack or server. */
const NOT_INHERITED = [
  "NATSTER_HOME",
  "NATSTER_STACK_DIR",
  "NATSTER_CONTEXT",
  "NATS_URL",
  "NATSTER_PORT",
  "NATSTER_HTTP_PORT",
  "NATSTER_WS_PORT",
];

function cliEnv(env: Record<string, string>): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !NOT_INHERITED.includes(k)) base[k] = v;
  return { ...base, ...env };
}

const clip = (text: string, max = 3000) =>
  text.length > max ? `${text.slice(0, max)}… (${text.length - max} more chars)` : text;

/** What a command did, for failure messages. */
export const show = (r: CliResult): string =>
  `natster ${r.args.join(" ")} → ${r.timedOut ? "TIMED OUT, " : ""}exit ${r.code ?? r.signal} after ${r.ms} ms\n--- stdout\n${clip(r.stdout)}\n--- stderr\n${clip(r.stderr)}`;

const live = new Set<CliProcess>();

/** One `bin/natster` process. Output is collected without a size limit (100k-entry listings). */
export class CliProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly started = Date.now();
  stdout = "";
  stderr = "";
  readonly exited: Promise<CliResult>;
  #listeners = new Set<() => void>();
  #timedOut = false;

  /** `prefix` runs the CLI through another program, e.g. `ip netns exec <ns>` for another host. */
  constructor(
    readonly args: string[],
    env: Record<string, string>,
    timeoutMs?: number,
    prefix: string[] = [],
  ) {
    const [command, ...before] = [...prefix, NATSTER];
    this.child = spawn(command ?? NATSTER, [...before, ...args], {
      env: cliEnv(env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    if (this.child.pid === undefined) throw new Error(`could not start natster ${args.join(" ")}`);
    this.pid = this.child.pid;
    live.add(this);
    this.child.stdout?.setEncoding("utf8").on("data", (s: string) => {
      this.stdout += s;
      this.#notify();
    });
    this.child.stderr?.setEncoding("utf8").on("data", (s: string) => {
      this.stderr += s;
      this.#notify();
    });
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            this.#timedOut = true;
            this.child.kill("SIGKILL");
          }, timeoutMs);
    this.exited = new Promise((resolve) => {
      this.child.once("close", (code, signal) => {
        clearTimeout(timer);
        live.delete(this);
        this.#notify();
        resolve({
          args,
          code,
          signal,
          stdout: this.stdout,
          stderr: this.stderr,
          ms: Date.now() - this.started,
          timedOut: this.#timedOut,
        });
      });
    });
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  #notify() {
    for (const l of [...this.#listeners]) l();
  }

  /** Resolves with the first match of `pattern` in stdout or stderr; fails on exit or after `timeoutMs`. */
  waitFor(stream: "stdout" | "stderr", pattern: RegExp, timeoutMs: number, what: string): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.#listeners.delete(check);
      };
      const check = () => {
        const m = this[stream].match(pattern);
        if (m) {
          done();
          resolve(m);
        } else if (!this.running) {
          done();
          reject(
            new Error(
              `${what}: natster ${this.args.join(" ")} exited (${this.child.exitCode ?? this.child.signalCode}) before printing ${pattern}\n--- stdout\n${clip(this.stdout)}\n--- stderr\n${clip(this.stderr)}`,
            ),
          );
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(
            `${what}: no ${pattern} on ${stream} within ${timeoutMs} ms\n--- stdout\n${clip(this.stdout)}\n--- stderr\n${clip(this.stderr)}`,
          ),
        );
      }, timeoutMs);
      this.#listeners.add(check);
      check();
    });
  }

  /** Ctrl-Z: SIGTSTP suspends the process (it reads and acknowledges nothing until `resume`). */
  suspend(): void {
    this.child.kill("SIGTSTP");
  }

  /** `fg`: SIGCONT. */
  resume(): void {
    this.child.kill("SIGCONT");
  }

  /** SIGINT (what Ctrl-C sends), then SIGKILL if it is still there after `graceMs`. */
  async stop(graceMs = 5000): Promise<CliResult> {
    if (this.running) {
      this.child.kill("SIGINT");
      this.child.kill("SIGCONT");
    }
    const killer = setTimeout(() => {
      if (this.running) this.child.kill("SIGKILL");
    }, graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(killer);
    }
  }
}

/** Runs one command to completion (SIGKILLed after `timeoutMs`). */
export function natster(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
  prefix: string[] = [],
): Promise<CliResult> {
  return new CliProcess(args, env, timeoutMs, prefix).exited;
}

const users = new Set<E2eUser>();

/**
 * Stops every natster process this test file started and is still running, by PID, then every
 * user's own Nex node (`natster node down` stops it by the PID its home recorded).
 */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...live].map((p) => p.stop()));
  const downs = await Promise.all([...users].map((u) => u.run(["--json", "node", "down"])));
  const failed = downs.filter((r) => r.code !== 0);
  if (failed.length > 0) throw new Error(`natster node down failed:\n${failed.map(show).join("\n")}`);
  const touched = [...users].filter((u) => existsSync(u.stackDir) && readdirSync(u.stackDir).length > 0);
  if (touched.length > 0)
    throw new Error(`a user-side command wrote into NATSTER_STACK_DIR: ${touched.map((u) => u.stackDir).join(", ")}`);
}

/**
 * A one-stack spec's teardown: every process stopped (stopAllProcesses), `natster down` on the stack
 * home `<root>/stack-home` if it was made, then `root` removed.
 */
export async function tearDownStack(root: string | undefined): Promise<void> {
  await stopAllProcesses();
  if (root && existsSync(join(root, "stack-home"))) {
    const down = await natster(["--json", "down"], { NATSTER_HOME: join(root, "stack-home") });
    if (down.code !== 0) console.error(`natster down failed:\n${show(down)}`);
  }
  if (root) rmSync(root, { recursive: true, force: true });
}

/** The JSON a `--json` command printed (throws with the whole run if there is none). */
export function json<T>(r: CliResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`no JSON on stdout:\n${show(r)}`);
  }
}

/** The JSON of a command that must have succeeded. */
export function succeeded<T>(r: CliResult): T {
  if (r.code !== 0) throw new Error(`expected success:\n${show(r)}`);
  return json<T>(r);
}

/** The `{error: {code, message}}` of a `--json` command that must have failed with exit code 1. */
export function failed(r: CliResult): ErrorReply["error"] {
  if (r.code !== 1) throw new Error(`expected exit code 1 and an error:\n${show(r)}`);
  const body = json<Partial<ErrorReply>>(r);
  if (!body.error || typeof body.error.code !== "string")
    throw new Error(`expected {error: {code, message}}:\n${show(r)}`);
  return body.error;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export const sha256 = (data: string | Uint8Array): string => createHash("sha256").update(data).digest("hex");

/** Writes `bytes` random bytes to `path` (in 4 MiB pieces) and returns their SHA-256. */
export function writeRandomFile(path: string, bytes: number): string {
  const hash = createHash("sha256");
  const fd = openSync(path, "w");
  try {
    for (let left = bytes; left > 0; ) {
      const piece = randomBytes(Math.min(left, 4 * 2 ** 20));
      hash.update(piece);
      writeSync(fd, piece);
      left -= piece.length;
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

export type UpInfo = StackClientInfo & {
  stack_dir: string;
  client_info: string;
  components: { name: string; pid: number; running: boolean }[];
};

export type E2eStack = {
  /** The NATSTER_HOME `natster up` ran in. */
  home: string;
  /** `<home>/stack`: operator keys, SYS creds, the Nex node's control creds. */
  stackDir: string;
  info: UpInfo;
  down(): Promise<CliResult>;
};

/**
 * `natster up` on free ports in its own NATSTER_HOME (everything binds to 127.0.0.1). NATSTER_E2E_NEX=real
 * runs the global service on real Nex 0.x (`natster up --nex real`); scripts/test.sh does that once.
 */
export async function startStack(home: string): Promise<E2eStack> {
  mkdirSync(home, { recursive: true });
  const env = { NATSTER_HOME: home };
  const ports = [
    "--port",
    String(await freePort()),
    "--http-port",
    String(await freePort()),
    "--ws-port",
    String(await freePort()),
  ];
  const nex = process.env.NATSTER_E2E_NEX ? ["--nex", process.env.NATSTER_E2E_NEX] : [];
  const up = await natster(["--json", "up", ...ports, ...nex], env, SETUP_TIMEOUT_MS);
  const info = succeeded<UpInfo>(up);
  if (!/^nats:\/\/127\.0\.0\.1:\d+$/.test(info.nats_url))
    throw new Error(`the stack does not listen on 127.0.0.1: ${info.nats_url}`);
  return { home, stackDir: info.stack_dir, info, down: () => natster(["--json", "down"], env, 60_000) };
}

/** A catalog server `natster catalog serve` runs: its process, and the Nex workload it deployed. */
export type ServedCatalog = { process: CliProcess; workload: string; workloadId: string; nodeId: string };

/**
 * A person's machine: their own NATSTER_HOME with a copy of the stack's client info, and nothing
 * of the stack's: NATSTER_STACK_DIR points at an empty folder, so a command that needed the
 * operator's dir or creds would fail here.
 */
export class E2eUser {
  /** The account public key, known after `init`. */
  key = "";
  readonly env: Record<string, string>;
  /** The empty folder NATSTER_STACK_DIR names for this user. */
  readonly stackDir: string;

  /** `prefix`: how to run a command on this user's machine (another host: `ip netns exec <ns>`). */
  constructor(
    readonly name: string,
    readonly home: string,
    stack: E2eStack,
    readonly prefix: string[] = [],
  ) {
    mkdirSync(home, { recursive: true });
    copyFileSync(join(stack.home, "stack-client.json"), join(home, "stack-client.json"));
    this.stackDir = `${home}.empty-stack-dir`;
    mkdirSync(this.stackDir, { recursive: true });
    this.env = { NATSTER_HOME: home, NATSTER_STACK_DIR: this.stackDir };
    users.add(this);
  }

  run(args: string[], timeoutMs?: number): Promise<CliResult> {
    return natster(args, this.env, timeoutMs, this.prefix);
  }

  /** `natster --json <args>`. */
  json(...args: string[]): Promise<CliResult> {
    return natster(["--json", ...args], this.env, undefined, this.prefix);
  }

  /** `natster init --name <name>`, which must succeed; the account it made becomes `key`. */
  async init<T extends { account: string } = { account: string }>(): Promise<T> {
    const reply = succeeded<T>(await this.json("init", "--name", this.name));
    this.key = reply.account;
    return reply;
  }

  /** A command that keeps running while the test goes on (SIGKILLed after `timeoutMs` if given). */
  spawn(args: string[], timeoutMs?: number): CliProcess {
    return new CliProcess(args, this.env, timeoutMs, this.prefix);
  }

  /** `catalog serve <name>` on the user's own Nex node (started on demand), as the user's account. */
  async serve(catalog: string): Promise<ServedCatalog> {
    const process = this.spawn(["catalog", "serve", catalog]);
    const m = await process.waitFor(
      "stderr",
      /Serving '([a-z0-9]+)' as Nex workload (\S+) \((\S+)\) on node (N[A-Z0-9]+)\./,
      60_000,
      `${this.name} serves ${catalog}`,
    );
    return { process, workload: m[2] ?? "", workloadId: m[3] ?? "", nodeId: m[4] ?? "" };
  }
}

/** The payload of a JWT (no verification: the test only reads what the resolver holds). */
export function jwtClaims<T>(jwt: string): T {
  const part = jwt.split(".")[1] ?? "";
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as T;
}
