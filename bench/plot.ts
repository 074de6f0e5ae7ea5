import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { SweepPoint } from "./lib/types.ts";

export const PLOT_FILE = "chunk-size.svg";

/** The smallest chunk size whose encrypted throughput is within 5% of the best: small chunks seek and start faster. */
export function recommendChunkKiB(points: readonly SweepPoint[], tolerance = 0.05): number | undefined {
  const enc = points.filter((p) => p.cipher === "aes-256-gcm" && Number.isFinite(p.mibPerSecond));
  if (enc.length === 0) return undefined;
  const best = Math.max(...enc.map((p) => p.mibPerSecond));
  return enc.filter((p) => p.mibPerSecond >= best * (1 - tolerance)).sort((a, b) => a.chunkKiB - b.chunkKiB)[0]
    ?.chunkKiB;
}

/** A "nice" step (1, 2, 5 × 10^n) giving about `count` ticks up to `max`. */
function niceStep(max: number, count: number): number {
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / magnitude;
  return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * magnitude;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * A hand-written SVG line chart: v2 throughput (MiB/s) against chunk size (log2 axis), one line per
 * cipher, the protocol default and the measured recommendation marked.
 */
export function renderPlot(
  points: readonly SweepPoint[],
  opts: { defaultKiB: number; title: string; subtitle?: string },
): string {
  const W = 720;
  const H = 420;
  const m = { left: 70, right: 170, top: 60, bottom: 60 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const kibs = [...new Set(points.map((p) => p.chunkKiB))].sort((a, b) => a - b);
  const lo = Math.log2(kibs[0] ?? 16);
  const hi = Math.log2(kibs[kibs.length - 1] ?? 512);
  const x = (kib: number) => m.left + (hi === lo ? pw / 2 : ((Math.log2(kib) - lo) / (hi - lo)) * pw);
  const maxY = Math.max(1, ...points.map((p) => p.mibPerSecond).filter(Number.isFinite));
  const step = niceStep(maxY * 1.1, 5);
  const top = Math.ceil((maxY * 1.05) / step) * step;
  const y = (v: number) => m.top + ph - (v / top) * ph;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${m.left + pw / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${esc(opts.title)}</text>`,
  ];
  if (opts.subtitle)
    out.push(`<text x="${m.left + pw / 2}" y="42" text-anchor="middle" fill="#555">${esc(opts.subtitle)}</text>`);
  for (let v = 0; v <= top + 1e-9; v += step) {
    out.push(`<line x1="${m.left}" y1="${y(v)}" x2="${m.left + pw}" y2="${y(v)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${m.left - 8}" y="${y(v) + 4}" text-anchor="end">${Math.round(v)}</text>`);
  }
  for (const kib of kibs) {
    out.push(`<line x1="${x(kib)}" y1="${m.top + ph}" x2="${x(kib)}" y2="${m.top + ph + 5}" stroke="#333"/>`);
    out.push(`<text x="${x(kib)}" y="${m.top + ph + 20}" text-anchor="middle">${kib}</text>`);
  }
  out.push(`<line x1="${m.left}" y1="${m.top + ph}" x2="${m.left + pw}" y2="${m.top + ph}" stroke="#333"/>`);
  out.push(`<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${m.top + ph}" stroke="#333"/>`);
  out.push(`<text x="${m.left + pw / 2}" y="${H - 18}" text-anchor="middle">chunk size (KiB, log scale)</text>`);
  out.push(
    `<text transform="translate(20 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">throughput (MiB/s)</text>`,
  );

  const marker = (kib: number, label: string, color: string, dy: number) => {
    if (kib < (kibs[0] ?? 0) || kib > (kibs[kibs.length - 1] ?? 0)) return;
    out.push(
      `<line x1="${x(kib)}" y1="${m.top}" x2="${x(kib)}" y2="${m.top + ph}" stroke="${color}" stroke-dasharray="2 4"/>`,
    );
    const right = x(kib) > m.left + pw / 2;
    out.push(
      `<text x="${x(kib) + (right ? -4 : 4)}" y="${m.top + 12 + dy}" text-anchor="${right ? "end" : "start"}" fill="${color}">${esc(label)}</text>`,
    );
  };
  marker(opts.defaultKiB, `default ${opts.defaultKiB} KiB`, "#666", 0);
  const rec = recommendChunkKiB(points);
  if (rec !== undefined && rec !== opts.defaultKiB) marker(rec, `recommended ${rec} KiB`, "#1a7f37", 16);

  const series = [
    { cipher: "aes-256-gcm", label: "v2, AES-256-GCM", color: "#1f5fbf", dash: "" },
    { cipher: "none", label: 'v2, cipher "none"', color: "#999", dash: ` stroke-dasharray="6 4"` },
  ] as const;
  series.forEach((s, i) => {
    const pts = points
      .filter((p) => p.cipher === s.cipher && Number.isFinite(p.mibPerSecond))
      .sort((a, b) => a.chunkKiB - b.chunkKiB);
    if (pts.length === 0) return;
    const path = pts
      .map((p, j) => `${j === 0 ? "M" : "L"}${x(p.chunkKiB).toFixed(1)},${y(p.mibPerSecond).toFixed(1)}`)
      .join(" ");
    out.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"${s.dash}/>`);
    for (const p of pts) {
      out.push(
        `<circle cx="${x(p.chunkKiB).toFixed(1)}" cy="${y(p.mibPerSecond).toFixed(1)}" r="3.5" fill="${s.color}"><title>${p.chunkKiB} KiB: ${p.mibPerSecond} MiB/s</title></circle>`,
      );
    }
    const ly = m.top + 20 + i * 20;
    out.push(
      `<line x1="${m.left + pw + 12}" y1="${ly}" x2="${m.left + pw + 36}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dash}/>`,
    );
    out.push(`<text x="${m.left + pw + 40}" y="${ly + 4}">${esc(s.label)}</text>`);
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}

export function writePlot(
  path: string,
  points: readonly SweepPoint[],
  opts: { defaultKiB: number; title: string; subtitle?: string },
): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, renderPlot(points, opts));
}
