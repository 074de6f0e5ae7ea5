/** NATS subject matching, done client-side when the server cannot filter for us. */

/** True when `subject` (a literal subject) matches `filter`, where `*` is one token and a final `>` is one or more. */
export function subjectMatches(filter: string, subject: string): boolean {
  return tokensMatch(filter.split("."), subject.split("."));
}

/** Every message of a client-side filtered durable is matched: the subject is split once, each filter once ever. */
export function matchesAnyFilter(
  filters: readonly string[],
  subject: string,
  actual: readonly string[] = subject.split("."),
): boolean {
  if (filters.length === 0) return true;
  return filters.some((filter) => tokensMatch(tokensOf(filter), actual));
}

/** The tokens of the configured filters (a bridge has a handful, fixed by its config). */
const filterTokens = new Map<string, readonly string[]>();

function tokensOf(filter: string): readonly string[] {
  let tokens = filterTokens.get(filter);
  if (!tokens) {
    tokens = filter.split(".");
    filterTokens.set(filter, tokens);
  }
  return tokens;
}

function tokensMatch(wanted: readonly string[], actual: readonly string[]): boolean {
  for (let i = 0; i < wanted.length; i++) {
    const token = wanted[i];
    if (token === ">") return i === wanted.length - 1 && actual.length > i;
    if (i >= actual.length) return false;
    if (token !== "*" && token !== actual[i]) return false;
  }
  return wanted.length === actual.length;
}

/** A valid subject or filter: non-empty tokens without whitespace, `>` only as the last token. */
export function isValidSubjectFilter(filter: string): boolean {
  if (filter === "" || /\s/.test(filter)) return false;
  const tokens = filter.split(".");
  return tokens.every(
    (token, i) =>
      token !== "" && (token !== ">" || i === tokens.length - 1) && (token.length === 1 || !/[*>]/.test(token)),
  );
}

export type ConsumerFilterPlan = {
  /** Set on the consumer when the server can do the filtering (one filter). */
  filterSubject: string | undefined;
  /** The bridge must skip non-matching messages itself (several filters). */
  filterClientSide: boolean;
};

/**
 * nats-server 2.9 takes a single `filter_subject` per consumer (`filter_subjects` came with 2.10),
 * so several filters mean an unfiltered consumer plus client-side matching.
 */
export function planConsumerFilter(filters: readonly string[]): ConsumerFilterPlan {
  if (filters.length === 1) return { filterSubject: filters[0], filterClientSide: false };
  return { filterSubject: undefined, filterClientSide: filters.length > 1 };
}
