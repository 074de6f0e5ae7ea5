/** Unix seconds of an ISO-8601 time (NaN when it does not parse). */
export const unixSeconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);
