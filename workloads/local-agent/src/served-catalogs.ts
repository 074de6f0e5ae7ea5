import { type Heartbeat, type ServedCatalog } from "@natster/protocol";

/** A catalog server not heard from within this window is no longer listed (servers beat every 30 s). */
export const SERVED_WINDOW_MS = 90_000;

type Seen = ServedCatalog & { lastSeen: number };

/**
 * The owner's catalogs the agent heard beat on `natster.local-events.*`: the page's "My catalogs"
 * when the agent (not a catalog server) answers the inbox. Pure: the caller passes the clock.
 */
export class ServedCatalogs {
  readonly #seen = new Map<string, Seen>();

  constructor(private readonly owner: string) {}

  heartbeat(beat: Partial<Heartbeat>, now: number): void {
    if (beat.account_key !== this.owner || typeof beat.catalog !== "string" || beat.catalog.length === 0) return;
    const revision = typeof beat.revision === "number" && Number.isSafeInteger(beat.revision) ? beat.revision : 0;
    this.#seen.set(beat.catalog.toLowerCase(), { catalog: beat.catalog, revision, lastSeen: now });
  }

  offline(beat: Partial<Heartbeat>): void {
    if (typeof beat.catalog === "string") this.#seen.delete(beat.catalog.toLowerCase());
  }

  list(now: number): ServedCatalog[] {
    return [...this.#seen.values()]
      .filter((c) => now - c.lastSeen <= SERVED_WINDOW_MS)
      .map(({ catalog, revision }) => ({ catalog, revision }))
      .sort((a, b) => a.catalog.localeCompare(b.catalog));
  }
}
