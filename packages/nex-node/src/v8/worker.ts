/**
 * The v8 function runner, executed inside a worker thread (bundled on the fly by worker-source.ts,
 * so it may import only node built-ins, types and tiny pure modules).
 * Each call gets a fresh `node:vm` context, like a fresh V8 context per invocation in Nex 0.x.
 * Host calls block this thread with Atomics.wait until the main thread has answered.
 *
 * Warm calls: the script is compiled once per worker, and once a call is answered the worker,
 * while idle, makes the next call's context and, if the script's top level never touches a host
 * service, runs the top level in it too. The next call for that script takes it: still a context
 * no call has seen, only made earlier. A script whose top level calls the host (or throws, or
 * overruns) is evaluated at call time, as Nex does.
 *
 * The first top level run ahead per script has vm's time limit; vm spawns a watchdog thread per
 * limited run, which cost about as much as the top level itself, so later runs go without it and
 * the pool's watchdog (pool.ts) ends a worker whose run ahead lasts a whole period.
 */
import { types } from "node:util";
import { Script, constants as vmConstants, createContext, type Context } from "node:vm";
import { parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import { formatHostError, notUint8ArrayMessage } from "../host-services/errors.ts";
import {
  AHEAD_TIME_LIMIT_MS,
  SignalSlot,
  type HostCall,
  type HostReply,
  type V8Result,
  type V8Task,
  type WorkerInit,
} from "./messages.ts";
import { HOST_REALM_SCRIPT, type HostRealm } from "./host-realm.ts";

/** The agent's own RPC timeout; every host-side timeout is shorter. */
const HOST_RPC_TIMEOUT_MS = 5_000;
const SCRIPT_CACHE_SIZE = 64;

const { signal: sab, hostPort } = workerData as WorkerInit;
const signal = new Int32Array(sab);
const scripts = new Map<string, Script>();
const globalOf = new Script("globalThis");
let seq = 0;
/** Set while a top level runs ahead of its call: a host call then marks the script as not preparable. */
let preparing: { touchedHost: boolean } | undefined;

type Ok = Extract<HostReply, { ok: true }>;

/** The 0.x host throws plain strings, never Error objects (nex-contract.md §1.4); functions rely on it. */
function throwString(message: string): never {
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- the contract: host errors are strings
  throw message;
}

function notBeforeTheCall(): void {
  if (!preparing) return;
  preparing.touchedHost = true;
  throwString("host services are not available before the call");
}

/**
 * A publish is posted and not waited for: its answer carries nothing but success, and on a
 * batched projection a thread round trip per written key was most of the write time. The main
 * thread handles port messages in order, so the publish reaches NATS before any later host call;
 * it also takes every publish still queued before it settles the call's result. A publish that
 * fails makes the next host call throw its error, or fails the call (no reply) if none follows.
 */
function postOneWay(call: Omit<HostCall, "seq">): void {
  notBeforeTheCall();
  hostPort.postMessage({ ...call, seq: ++seq, oneWay: true } satisfies HostCall);
}

/** Posts the call, then sleeps until the main thread has posted the answer and flipped the signal. */
function hostCall(call: Omit<HostCall, "seq">): Ok {
  notBeforeTheCall();
  const mine = ++seq;
  const deadline = Date.now() + HOST_RPC_TIMEOUT_MS;
  Atomics.store(signal, SignalSlot.hostAnswer, 0);
  hostPort.postMessage({ ...call, seq: mine });
  for (let left = HOST_RPC_TIMEOUT_MS; left > 0; left = deadline - Date.now()) {
    Atomics.wait(signal, SignalSlot.hostAnswer, 0, left);
    // Reset before draining: an answer posted after the drain flips the signal again.
    Atomics.store(signal, SignalSlot.hostAnswer, 0);
    for (let m = receiveMessageOnPort(hostPort); m; m = receiveMessageOnPort(hostPort)) {
      const reply = m.message as HostReply;
      if (reply.seq !== mine) continue; // a late answer to an earlier, timed-out call
      if (!reply.ok) throwString(reply.error);
      return reply;
    }
  }
  return throwString("nats: timeout");
}

function describe(v: unknown): string {
  try {
    return String(v);
  } catch {
    return typeof v;
  }
}

function bytesArg(v: unknown): Uint8Array {
  if (!types.isUint8Array(v)) throwString(notUint8ArrayMessage(describe(v)));
  return v;
}

const bytesOf = (r: Ok) => r.bytes ?? new Uint8Array(0);
const jsonTextOf = (r: Ok): string => r.json ?? "null";

function bucketName(args: unknown[]): string {
  const bucket = args[0];
  if (bucket === undefined || bucket === null || bucket === "") throwString("bucket name is required");
  return describe(bucket);
}

type Op = (args: unknown[]) => unknown;

function publish(args: unknown[]): undefined {
  if (args.length !== 2) throwString("subject and payload are required");
  const subject = describe(args[0]);
  // The one refusal known before the host sees it is thrown right here, as the host would.
  if (subject === "") throwString(formatHostError(400, "subject is required"));
  postOneWay({ service: "messaging", method: "publish", subject, value: bytesArg(args[1]) });
  return undefined;
}

function httpCall([method, url, body]: unknown[]): string {
  if (url === undefined) throwString("url is required");
  const m = method as string;
  const value = m !== "get" && m !== "head" && body !== undefined ? bytesArg(body) : undefined;
  return jsonTextOf(hostCall({ service: "http", method: m, url: describe(url), value }));
}

/**
 * The host side of every global a function sees, by name (host-realm.ts makes the globals over
 * it): arguments exactly as the function passed them; bytes answered as Uint8Arrays and objects
 * as JSON text, which the host realm copies and parses on its side.
 */
const ops: Record<string, Op> = {
  "kv.open": bucketName,
  "kv.get": ([b, key]) => bytesOf(hostCall({ service: "kv", method: "get", bucket: describe(b), key: describe(key) })),
  "kv.set": ([b, key, value]) => {
    const r = JSON.parse(
      jsonTextOf(
        hostCall({ service: "kv", method: "set", bucket: describe(b), key: describe(key), value: bytesArg(value) }),
      ),
    ) as { success?: boolean } | null;
    if (!r?.success) throwString("failed to set value for key");
    return undefined;
  },
  "kv.delete": ([b, key]) =>
    void hostCall({ service: "kv", method: "delete", bucket: describe(b), key: describe(key) }),
  "kv.keys": ([b]) => jsonTextOf(hostCall({ service: "kv", method: "keys", bucket: describe(b) })),
  "objectstore.open": bucketName,
  "objectstore.get": ([b, name]) =>
    bytesOf(hostCall({ service: "objectstore", method: "get", bucket: describe(b), key: describe(name) })),
  "objectstore.put": ([b, name, value]) =>
    jsonTextOf(
      hostCall({
        service: "objectstore",
        method: "put",
        bucket: describe(b),
        key: describe(name),
        value: bytesArg(value),
      }),
    ),
  "objectstore.delete": ([b, name]) =>
    void hostCall({ service: "objectstore", method: "delete", bucket: describe(b), key: describe(name) }),
  "objectstore.list": ([b]) => jsonTextOf(hostCall({ service: "objectstore", method: "list", bucket: describe(b) })),
  "messaging.publish": publish,
  "messaging.request": (args) => {
    if (args.length !== 2) throwString("subject and payload are required");
    return bytesOf(
      hostCall({ service: "messaging", method: "request", subject: describe(args[0]), value: bytesArg(args[1]) }),
    );
  },
  "messaging.requestMany": () => throwString("this function isn't currently supported"),
  http: httpCall,
};

function op(name: string, args: unknown[]): unknown {
  const run = Object.hasOwn(ops, name) ? ops[name] : undefined;
  if (!run) return throwString(`no host operation ${name}`);
  return run(args);
}

const hostRealmContext = createContext(Object.create(null) as object);
const hostRealm = new Script(HOST_REALM_SCRIPT, { filename: "nex-host-realm.js" }).runInContext(
  hostRealmContext,
) as HostRealm;

/**
 * Exactly the 0.3.0-rc1 globals: 0.2's `hostServices` object is gone there (checked against real
 * Nex). New objects for every context, like the templates real Nex instantiates per context, made
 * in the host realm: no worker object is reachable from a call.
 */
function hostGlobals(): Record<string, unknown> {
  return hostRealm.globals(op);
}

/**
 * A context whose global is an ordinary object with the host globals on it, as real Nex makes
 * them. vm's default (contextified) global answers every global lookup, `JSON` and `Object`
 * included, through an interceptor that V8 cannot cache: code calling globals in a loop ran 3.7 to
 * 5.5 times slower there, and a projection batch cost its worker 12–15% more CPU. Node 20 before
 * 20.18 has no DONT_CONTEXTIFY: there the host globals go on a contextified sandbox instead.
 */
function newContext(): Context {
  const ordinary = vmConstants.DONT_CONTEXTIFY as number | undefined;
  if (ordinary === undefined) return createContext(Object.assign(Object.create(null) as object, hostGlobals()));
  const global = createContext(ordinary);
  for (const [name, value] of Object.entries(hostGlobals()))
    Object.defineProperty(global, name, { value, writable: true, enumerable: true, configurable: true });
  return global;
}

function compiled(task: V8Task): Script {
  let script = scripts.get(task.scriptKey);
  if (!script) {
    script = new Script(task.source, { filename: task.filename });
    if (scripts.size >= SCRIPT_CACHE_SIZE) scripts.delete(scripts.keys().next().value as string);
    scripts.set(task.scriptKey, script);
  }
  return script;
}

function errorText(e: unknown): string {
  if (typeof e === "object" && e !== null && "message" in e) {
    const { name, message } = e as { name?: unknown; message?: unknown };
    return `${typeof name === "string" ? name : "Error"}: ${describe(message)}`;
  }
  return describe(e);
}

type Prepared = { scriptKey: string; context: Context; self: unknown; fn?: unknown };
let next: Prepared | undefined;
/** Scripts whose top level must run at call time (it touched the host, threw or overran). */
const atCallTime = new Set<string>();
/** Scripts whose top level already ran ahead here within vm's time limit. */
const ranAheadInTime = new Set<string>();

/** The top level in a context of its own, limited by vm's watchdog the first time only (see above). */
function runTopLevelAhead(task: V8Task, context: Context): unknown {
  if (!ranAheadInTime.has(task.scriptKey)) {
    const fn: unknown = compiled(task).runInContext(context, { timeout: AHEAD_TIME_LIMIT_MS });
    ranAheadInTime.add(task.scriptKey);
    return fn;
  }
  Atomics.add(signal, SignalSlot.aheadRuns, 1);
  Atomics.store(signal, SignalSlot.aheadRunning, 1);
  try {
    return compiled(task).runInContext(context);
  } finally {
    Atomics.store(signal, SignalSlot.aheadRunning, 0);
  }
}

function freshContext(task: V8Task): Prepared {
  const context = newContext();
  return { scriptKey: task.scriptKey, context, self: globalOf.runInContext(context) };
}

/** Makes the next call's context while idle, with the top level already run when that is safe. */
function prepare(task: V8Task): void {
  const ready = freshContext(task);
  if (!atCallTime.has(task.scriptKey)) {
    const flag = { touchedHost: false };
    preparing = flag;
    try {
      ready.fn = runTopLevelAhead(task, ready.context);
    } catch {
      flag.touchedHost = true;
    } finally {
      preparing = undefined;
    }
    if (flag.touchedHost) {
      atCallTime.add(task.scriptKey);
      return prepare(task);
    }
  }
  next = ready;
}

function take(task: V8Task): Prepared {
  const ready = next;
  next = undefined;
  return ready?.scriptKey === task.scriptKey ? ready : freshContext(task);
}

function run(task: V8Task): V8Result {
  try {
    const ready = take(task);
    const fn: unknown = "fn" in ready ? ready.fn : compiled(task).runInContext(ready.context);
    if (typeof fn !== "function")
      return { ok: false, error: `the script's completion value is ${typeof fn}, not a function` };
    const out: unknown = Reflect.apply(fn, ready.self, [task.subject, hostRealm.bytes(task.payload)]);
    if (
      (typeof out === "object" || typeof out === "function") &&
      out !== null &&
      typeof (out as { then?: unknown }).then === "function"
    ) {
      return {
        ok: false,
        error:
          "the function returned a Promise: Nex runs functions synchronously and never awaits them (no async handlers)",
      };
    }
    // V8's JSON::Stringify turns `undefined` into the string "undefined" (nex-contract.md §1.2).
    return { ok: true, body: JSON.stringify(out) ?? "undefined" };
  } catch (e) {
    return { ok: false, error: errorText(e) };
  }
}

parentPort?.on("message", (task: V8Task) => {
  if (task.topLevelAtCallTime) atCallTime.add(task.scriptKey);
  parentPort?.postMessage(run(task));
  // After the reply is out: the caller does not wait for the next call's context.
  setImmediate(() => {
    try {
      prepare(task);
    } catch {
      next = undefined;
    }
  });
});
