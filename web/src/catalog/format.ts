import { DEFAULT_ENTRY_DESCRIPTION } from "@natster/protocol";

const UNITS = ["KiB", "MiB", "GiB", "TiB", "PiB"];

/** 1024-based sizes with two decimals, as upstream showed them ("1.50 MiB"). */
export function humanSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "?";
  if (bytes < 1024) return bytes === 1 ? "1 byte" : `${bytes} bytes`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(2)} ${UNITS[unit]}`;
}

/** A description worth showing: not empty and not upstream's placeholder. */
export function displayDescription(description: string): string | undefined {
  const text = description.trim();
  return text && text !== DEFAULT_ENTRY_DESCRIPTION ? text : undefined;
}

/** "text/plain; charset=utf-8" → "text/plain". */
export const mimeEssence = (mime: string): string => (mime.split(";")[0] ?? "").trim().toLowerCase();

export type ViewerKind = "video" | "audio" | "image" | "pdf" | "text";

const TEXT_TYPES = new Set([
  "application/json",
  "application/xml",
  "application/javascript",
  "application/x-sh",
  "application/yaml",
  "application/toml",
]);

/** How the page can show a file, by its type's essence (parameters like charset never block it). */
export function viewerKind(mime: string): ViewerKind | undefined {
  const essence = mimeEssence(mime);
  const [major] = essence.split("/");
  if (major === "video") return "video";
  if (major === "audio") return "audio";
  if (major === "image") return "image";
  if (essence === "application/pdf") return "pdf";
  if (major === "text" || TEXT_TYPES.has(essence) || essence.endsWith("+json") || essence.endsWith("+xml"))
    return "text";
  return undefined;
}

/** The largest text file the page decodes into the viewer (bigger ones: download them). */
export const MAX_TEXT_VIEW_BYTES = 8 * 1024 * 1024;
/**
 * The most the page holds in its own memory: images and PDFs are fetched whole (and verified)
 * before they are shown, and so is a download where no service worker streams it to disk.
 */
export const MAX_IN_PAGE_BYTES = 512 * 1024 * 1024;

export const shortHash = (hash: string): string => (hash.length > 12 ? `${hash.slice(0, 4)}…${hash.slice(-8)}` : hash);

export const percent = (done: number, total: number): number =>
  total > 0 ? Math.min(100, Math.floor((done * 100) / total)) : 100;
