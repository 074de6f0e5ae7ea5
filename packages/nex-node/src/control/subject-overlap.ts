/** True when `subject` is a valid NATS subscription subject: non-empty tokens, no spaces, `>` only last. */
export function isValidSubscriptionSubject(subject: string): boolean {
  if (subject.length === 0 || /\s/.test(subject)) return false;
  const tokens = subject.split(".");
  return tokens.every(
    (t, i) => t.length > 0 && (t !== ">" || i === tokens.length - 1) && (t.length === 1 || !/[*>]/.test(t)),
  );
}

/** True when some concrete subject matches both patterns (wildcards `*` and `>` on either side). */
export function subjectsOverlap(a: string, b: string): boolean {
  return tokensOverlap(a.split("."), b.split("."));
}

function tokensOverlap(a: string[], b: string[]): boolean {
  const [ta, tb] = [a[0], b[0]];
  if (ta === undefined || tb === undefined) return ta === tb;
  // `>` matches one or more tokens, and the other side still has at least one here.
  if (ta === ">" || tb === ">") return true;
  if (ta !== "*" && tb !== "*" && ta !== tb) return false;
  return tokensOverlap(a.slice(1), b.slice(1));
}

/** The first deny-list entry a trigger subject overlaps, if any. */
export function deniedBy(trigger: string, denyList: readonly string[]): string | undefined {
  return denyList.find((denied) => subjectsOverlap(trigger, denied));
}
