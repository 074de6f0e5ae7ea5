import { MAX_GLOBAL_PAYLOAD, fail, globalCallerOf, isAccountKey, ok, statusOf, type Envelope } from "@natster/protocol";
import { defineFunction, parseHostError, type NexHandler } from "nex-fn";
import { Rejection, reject } from "./rejection.ts";

/** The caller's account key is the subject token NATS writes through the export's account token position. */
export type ApiRequest = { caller: string; payload: Uint8Array };
export type Route = (request: ApiRequest) => unknown;

const has = (routes: object, verb: string) => Object.prototype.hasOwnProperty.call(routes, verb);

/**
 * A Nex function serving the verbs of one trigger, `natster.global.<caller>[.<group>].<verb>`.
 * Every outcome is an envelope: a Rejection becomes its 4xx, anything else a 500. It never throws,
 * because under Nex a throw means no reply and a caller left waiting for its timeout.
 */
export function defineApi(routes: Record<string, Route>): NexHandler {
  return defineFunction((subject, payload) => {
    try {
      const tokens = String(subject).split(".");
      const caller = globalCallerOf(String(subject));
      const verb = tokens[tokens.length - 1] ?? "";
      if (!isAccountKey(caller)) reject("FORBIDDEN", "the caller is not an account");
      const route = has(routes, verb) ? routes[verb] : undefined;
      if (!route) return reject("UNKNOWN_VERB", `unknown operation '${verb}'`);
      if (payload.length > MAX_GLOBAL_PAYLOAD)
        reject("PAYLOAD_TOO_LARGE", `the payload exceeds ${MAX_GLOBAL_PAYLOAD} bytes`);
      return ok(route({ caller, payload }));
    } catch (e) {
      return failure(e);
    }
  });
}

export function failure(e: unknown): Envelope<never> {
  if (e instanceof Rejection) return fail(statusOf(e.code), e.code, e.message);
  return fail(statusOf("INTERNAL"), "INTERNAL", `internal error: ${parseHostError(e).message}`);
}
