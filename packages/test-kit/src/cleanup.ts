/** Teardown steps run one after another; a failing one is recorded and does not stop (or hide) the others. */
export class Cleanup {
  readonly failures: string[] = [];

  async attempt(what: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (e) {
      this.failures.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Throws every recorded failure at once, under `title`. */
  done(title: string): void {
    if (this.failures.length > 0) throw new Error(`${title}:\n${this.failures.join("\n")}`);
  }
}
