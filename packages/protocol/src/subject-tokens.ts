/**
 * Builders and parsers of the subjects whose tokens carry data: standalone exports, so a V8
 * function bundle takes only the ones it uses. Account tokens are written by NATS itself through
 * an export's account token position; never trust a payload for them.
 */

/** Where an event lies in NATSTER_EVENTS: `natster.events.<from>.<to>.<catalog>.<type>` (`none` for an unused token). */
export type EventAddress = { from: string; to: string; catalog: string; type: string };

export const eventSubject = (e: EventAddress): string => `natster.events.${e.from}.${e.to}.${e.catalog}.${e.type}`;

/** The tokens of an event subject, unchecked; undefined for anything that is not `natster.events.` and four tokens. */
export function parseEventSubject(subject: string): EventAddress | undefined {
  const [prefix, events, from, to, catalog, type, ...rest] = subject.split(".");
  if (prefix !== "natster" || events !== "events" || rest.length > 0) return undefined;
  if (from === undefined || to === undefined || catalog === undefined || type === undefined) return undefined;
  return { from, to, catalog, type };
}

/**
 * The caller of a global-service request: `natster.global.<caller>.<op>` (token 3: Nex refuses
 * trigger subjects starting with `*`) or upstream's `<caller>.natster.global.<op>` (token 1).
 */
export const globalCallerOf = (subject: string): string | undefined => {
  const tokens = subject.split(".");
  return tokens[0] === "natster" && tokens[1] === "global" ? tokens[2] : tokens[0];
};
