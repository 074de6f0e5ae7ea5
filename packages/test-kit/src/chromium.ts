/** Debian's Chromium (scripts/setup.sh installs it), as the e2e tests and the browser benchmarks run it. */
export const CHROMIUM = "/usr/bin/chromium";

/** Headless and quiet: no GPU, no QUIC, no first-run or background traffic, no sync. */
export const CHROMIUM_ARGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
