import { NatsterError } from "./errors.ts";

/**
 * What a request asked, read off its subject: it decides which code a failure gets, the same in
 * the CLI, the web app, node-kit and the transfer library.
 * - a catalog server (`natster.catalog.<catalog>.<op>`, also with an account in token 1),
 * - the user's own catalog server or local agent (`natster.local.<service>`),
 * - the global service (`natster.global.<op>`) or another stack service (the authority, …).
 */
export type RequestTarget =
  | { kind: "catalog"; catalog: string }
  | { kind: "local"; subject: string }
  | { kind: "global"; op: string }
  | { kind: "service"; subject: string };

export function requestTargetOf(subject: string): RequestTarget {
  const tokens = subject.split(".");
  const at = tokens[0] === "natster" ? 0 : 1;
  const [prefix, area, name] = [tokens[at], tokens[at + 1], tokens[at + 2]];
  if (prefix === "natster" && area === "catalog" && name !== undefined) return { kind: "catalog", catalog: name };
  if (at === 0 && area === "local") return { kind: "local", subject };
  if (at === 0 && area === "global") return { kind: "global", op: tokens.slice(2).join(".") };
  return { kind: "service", subject };
}

/** How a NATS request failed, told by the error's name (the web app bundles its own copy of nats-core). */
export type RequestFailureKind = "no-responders" | "timeout" | "forbidden" | "other";

const named = (e: unknown, ...names: string[]): boolean => e instanceof Error && names.includes(e.name);
const NO_RESPONDERS = ["NoResponders", "NoRespondersError"];

export function requestFailureKind(error: unknown): RequestFailureKind {
  if (
    named(error, ...NO_RESPONDERS) ||
    (named(error, "RequestError") && named((error as Error).cause, ...NO_RESPONDERS))
  )
    return "no-responders";
  if (named(error, "TimeoutError")) return "timeout";
  if (named(error, "PermissionViolationError")) return "forbidden";
  return "other";
}

/**
 * The one mapping from a failed request (nobody answers, no answer in time, not permitted) to a
 * stable code. A NatsterError (a bad or error envelope, already read) passes through unchanged.
 */
export function requestFailure(error: unknown, target: RequestTarget, timeoutMs: number): NatsterError {
  if (error instanceof NatsterError) return error;
  const kind = requestFailureKind(error);
  if (kind === "forbidden") return new NatsterError("FORBIDDEN", `this login may not ask ${describeTarget(target)}`);
  if (kind === "other")
    return new NatsterError(
      "INTERNAL",
      `${describeTarget(target)} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  const silent = kind === "timeout";
  switch (target.kind) {
    case "catalog":
      return silent
        ? new NatsterError(
            "TIMEOUT",
            `catalog '${target.catalog}' is not online: its server did not answer within ${timeoutMs} ms (is \`natster catalog serve ${target.catalog}\` running?)`,
          )
        : new NatsterError(
            "CATALOG_OFFLINE",
            `catalog '${target.catalog}' is not online: nobody serves it right now (is it imported, and is its server running?)`,
          );
    case "local":
      return silent
        ? new NatsterError(
            "TIMEOUT",
            `your own catalog server or node did not answer ${target.subject} within ${timeoutMs} ms`,
          )
        : new NatsterError(
            "CATALOG_OFFLINE",
            `nothing of yours serves ${target.subject}: start your node (natster node up) or a catalog server`,
          );
    case "global":
      return silent
        ? new NatsterError(
            "TIMEOUT",
            `the global service did not answer '${target.op}' within ${timeoutMs} ms; try again`,
          )
        : new NatsterError(
            "SERVICE_UNAVAILABLE",
            `the global service does not answer '${target.op}': is the stack up with its functions deployed? (natster status)`,
          );
    case "service":
      return silent
        ? new NatsterError("TIMEOUT", `${target.subject} did not answer within ${timeoutMs} ms; try again`)
        : new NatsterError(
            "SERVICE_UNAVAILABLE",
            `nobody answers ${target.subject}: is the stack up? (natster status)`,
          );
  }
}

const describeTarget = (target: RequestTarget): string =>
  target.kind === "catalog"
    ? `catalog '${target.catalog}'`
    : target.kind === "global"
      ? `the global service ('${target.op}')`
      : target.subject;
