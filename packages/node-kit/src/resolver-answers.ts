/** The `iat` of a JWT, or undefined when the text is not a readable JWT. */
function issuedAt(jwt: string): number | undefined {
  const body = jwt.split(".")[1];
  if (!body) return undefined;
  try {
    const iat = (JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as { iat?: unknown }).iat;
    return typeof iat === "number" ? iat : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Of the resolver's answers to one lookup (one per server), the JWT issued last; empty answers
 * (an unknown account) and anything unreadable count for nothing. The first of equal `iat` wins.
 */
export function newestAccountJwt(answers: readonly string[]): string | undefined {
  let newest: { jwt: string; iat: number } | undefined;
  for (const answer of answers) {
    const jwt = answer.trim();
    if (!jwt.startsWith("ey")) continue;
    const iat = issuedAt(jwt);
    if (iat !== undefined && (!newest || iat > newest.iat)) newest = { jwt, iat };
  }
  return newest?.jwt;
}
