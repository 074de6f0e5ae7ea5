import { parseCatalogFile, saveCatalog, type CatalogChange, type CatalogFile } from "@natster/catalog";

type Outcome = { change: CatalogChange };

/**
 * The served catalog in memory. Every mutation runs one at a time and is saved right after it
 * (atomically; a new revision only when entries changed), then `onRevision` fires. Readers use
 * `current` directly: each mutation leaves the catalog consistent between awaits.
 */
export class CatalogState {
  #queue: Promise<unknown> = Promise.resolve();
  #lastWritten: string | undefined;

  /** Called after every visible change (new revision on disk). */
  onRevision: (catalog: CatalogFile) => void = () => undefined;

  constructor(
    readonly home: string,
    private catalog: CatalogFile,
    readonly realRoot: string,
  ) {}

  get current(): CatalogFile {
    return this.catalog;
  }

  mutate<T extends Outcome>(change: (catalog: CatalogFile) => Promise<T>): Promise<T> {
    const run = this.#queue.then(async () => {
      const outcome = await change(this.catalog);
      if (outcome.change !== "none") await this.#persist(outcome.change);
      return outcome;
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Takes in a catalog file someone else wrote (e.g. `natster catalog describe`), keeping our
   * name and root. Our own writes are recognised by their text and ignored. Returns whether adopted.
   */
  adoptFromDisk(text: string, where: string): Promise<boolean> {
    const adopt = () => {
      if (text === this.#lastWritten) return { change: "none" as const, adopted: false };
      const fromDisk = parseCatalogFile(text, where);
      this.catalog = { ...fromDisk, name: this.catalog.name, root_dir: this.catalog.root_dir };
      this.#lastWritten = text;
      this.onRevision(this.catalog);
      return { change: "none" as const, adopted: true };
    };
    return this.mutate(() => Promise.resolve().then(adopt)).then((r) => r.adopted);
  }

  /** Waits for every queued mutation (used on shutdown so nothing is lost). */
  async settle(): Promise<void> {
    await this.#queue;
  }

  async #persist(change: CatalogChange): Promise<void> {
    this.#lastWritten = await saveCatalog(this.home, this.catalog, { bumpRevision: change === "entries" });
    if (change === "entries") this.onRevision(this.catalog);
  }
}
