/**
 * Everything a run starts (servers, child processes, browsers) registers how to stop it here, so
 * that the run leaves nothing behind even when a benchmark crashes or the run is interrupted.
 */
type Cleanup = { name: string; run: () => unknown };

const pending: Cleanup[] = [];

/** Registers a cleanup; the returned function runs it now (once) and unregisters it. */
export function onCleanup(name: string, run: () => unknown): () => Promise<void> {
  const entry: Cleanup = { name, run };
  pending.push(entry);
  return async () => {
    const i = pending.indexOf(entry);
    if (i < 0) return;
    pending.splice(i, 1);
    await entry.run();
  };
}

/** Runs every registered cleanup, newest first; failures are reported, never thrown. */
export async function cleanupAll(log: (line: string) => void): Promise<void> {
  while (pending.length > 0) {
    const entry = pending.pop()!;
    try {
      await entry.run();
    } catch (e) {
      log(`cleanup ${entry.name} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
