export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json | undefined };

/** The shape Nex 0.x calls: the script's completion value, invoked synchronously. */
export type NexHandler = (subject: string, payload: Uint8Array) => Json;

type Forbidden = PromiseLike<unknown> | ArrayBufferView;

/** A synchronous handler; returning a Promise or bytes is a type error (and a runtime throw). */
export type Handler<R> = (subject: string, payload: Uint8Array) => R extends Forbidden ? never : R;

/**
 * Wraps a handler for Nex, which JSON-stringifies the result and never awaits it: a Promise
 * would reply `{}` and bytes would reply `{"0":104,...}`. Both throw instead, which under Nex
 * means no reply. `undefined` becomes `null`, whose reply is well-defined JSON.
 */
export function defineFunction<R>(handler: Handler<R>): NexHandler {
  return (subject, payload) => {
    const out = handler(subject, payload) as { then?: unknown } | null | undefined;
    if (typeof out?.then === "function" || ArrayBuffer.isView(out)) {
      throw new TypeError("nex-fn: handler returned a Promise or bytes");
    }
    return (out ?? null) as Json;
  };
}
