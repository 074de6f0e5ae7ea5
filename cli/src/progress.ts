import cliProgress from "cli-progress";

export type ProgressReporter = { update(done: number, total: number): void; stop(): void };

const human = (n: number) => {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
};
export const humanBytes = human;

/** A progress bar with throughput and ETA on a TTY (stderr), and nothing when output is piped or --json. */
export function progressBar(label: string, enabled: boolean): ProgressReporter {
  if (!enabled || !process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const started = Date.now();
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {percentage}% | {doneHuman} / {totalHuman} | {rate}/s | ETA {eta_formatted}`,
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(1, 0, { doneHuman: "0 B", totalHuman: "?", rate: "0 B" });
  return {
    update(done, total) {
      const seconds = Math.max(0.001, (Date.now() - started) / 1000);
      bar.setTotal(Math.max(total, 1));
      bar.update(done, { doneHuman: human(done), totalHuman: human(total), rate: human(done / seconds) });
    },
    stop: () => bar.stop(),
  };
}
