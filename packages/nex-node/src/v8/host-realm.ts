/**
 * The host realm: one plain context per worker where everything a host call hands to a function
 * is made, like the provider's own default context in Nex 0.x (so `got instanceof Uint8Array` is
 * false in the call's context, as there). Its globals have no `process` or `require`, and it is
 * frozen whole once made, so a call that climbs from a host object to its constructors finds
 * nothing of the worker (its Function constructors throw) and cannot leave anything there for
 * the next call.
 *
 * The script's completion value is `{ globals, bytes }`: `globals(op)` makes one context's
 * `kv`, `objectStore`, `messaging` and `http` over `op(name, args)` (the worker's side, which
 * validates and answers bytes as worker Uint8Arrays, objects as JSON text, or throws strings);
 * `bytes(u8)` copies worker bytes into this realm.
 */
export const HOST_REALM_SCRIPT = `(() => {
  "use strict";
  const U8 = Uint8Array, parse = JSON.parse, apply = Reflect.apply, str = String;
  const freeze = Object.freeze, getProto = Object.getPrototypeOf, descriptors = Object.getOwnPropertyDescriptors;
  const setBytes = getProto(U8.prototype).set;
  const bytes = (from) => {
    const out = new U8(from.length);
    apply(setBytes, out, [from]);
    return out;
  };
  const globals = (op) => {
    const host = (name, args) => {
      try {
        return op(name, args);
      } catch (e) {
        throw typeof e === "string" ? e : str(e);
      }
    };
    const kv = (...args) => {
      const bucket = host("kv.open", args);
      return {
        get: (...a) => bytes(host("kv.get", [bucket, ...a])),
        set: (...a) => void host("kv.set", [bucket, ...a]),
        delete: (...a) => void host("kv.delete", [bucket, ...a]),
        keys: () => parse(host("kv.keys", [bucket])),
      };
    };
    const objectStore = (...args) => {
      const bucket = host("objectstore.open", args);
      return {
        get: (...a) => bytes(host("objectstore.get", [bucket, ...a])),
        put: (...a) => parse(host("objectstore.put", [bucket, ...a])),
        delete: (...a) => void host("objectstore.delete", [bucket, ...a]),
        list: () => parse(host("objectstore.list", [bucket])),
      };
    };
    const messaging = {
      publish: (...a) => void host("messaging.publish", a),
      request: (...a) => bytes(host("messaging.request", a)),
      requestMany: (...a) => void host("messaging.requestMany", a),
    };
    const http = {};
    for (const method of ["get", "post", "put", "patch", "delete", "head"])
      http[method] = (...a) => parse(host("http", [method, ...a]));
    return { kv, objectStore, messaging, http };
  };
  const seen = new Set();
  const harden = (value) => {
    if ((typeof value !== "object" && typeof value !== "function") || value === null || seen.has(value)) return;
    seen.add(value);
    freeze(value);
    harden(getProto(value));
    hardenMembers(value);
  };
  const hardenMembers = (value) => {
    for (const d of Object.values(descriptors(value))) {
      harden(d.value);
      harden(d.get);
      harden(d.set);
    }
  };
  // The realm's global object itself cannot be frozen (vm's contextified global): no call may get
  // hold of it, so its Function constructors throw, and everything on it is frozen.
  const noConstructor = function () {
    throw new TypeError("the host realm has no Function constructor");
  };
  for (const f of [function () {}, function* () {}, async function () {}, async function* () {}])
    Object.defineProperty(getProto(f), "constructor", { value: noConstructor });
  seen.add(globalThis);
  harden(getProto(globalThis));
  hardenMembers(globalThis);
  return { globals, bytes };
})()
`;

/** Worker bytes to host-realm bytes, and one context's host globals. */
export type HostRealm = {
  globals(op: (name: string, args: unknown[]) => unknown): Record<string, unknown>;
  bytes(from: Uint8Array): Uint8Array;
};
