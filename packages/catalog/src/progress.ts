import type { FileStat, IngestProgress, ProgressCallback } from "./types.ts";

const REPORT_EVERY_MS = 100;

/** Counts hashed files and bytes; reports on every finished file and at most every 100 ms in between. */
export function progressTracker(files: readonly FileStat[], onProgress: ProgressCallback | undefined) {
  const state: IngestProgress = {
    files_done: 0,
    files_total: files.length,
    bytes_done: 0,
    bytes_total: files.reduce((sum, f) => sum + f.size, 0),
  };
  let lastReport = 0;
  const report = () => {
    lastReport = Date.now();
    onProgress?.({ ...state });
  };
  return {
    start: report,
    bytes(n: number) {
      state.bytes_done += n;
      if (Date.now() - lastReport >= REPORT_EVERY_MS) report();
    },
    fileDone(file: FileStat, bytesCounted: number) {
      // A file that shrank or failed mid-read still counts as its listed size, so totals line up.
      state.bytes_done += file.size - bytesCounted;
      state.files_done += 1;
      report();
    },
  };
}
