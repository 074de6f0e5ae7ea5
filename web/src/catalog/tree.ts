import type { CatalogEntry } from "@natster/protocol";

/** A folder of the catalog, built from entry paths. `path` is its segments joined by "/" ("" for the root). */
export type FolderNode = {
  name: string;
  path: string;
  folders: FolderNode[];
  files: CatalogEntry[];
  /** Files in this folder and below. */
  fileCount: number;
  byteSize: number;
};

/** Path segments without empty ones: a leading "/" or "//" never makes a nameless folder (upstream bug 21). */
export const pathSegments = (path: string): string[] => path.split("/").filter((s) => s.length > 0);

export const fileNameOf = (entry: Pick<CatalogEntry, "path">): string => pathSegments(entry.path).at(-1) ?? entry.path;

type MutableFolder = { name: string; path: string; folders: Map<string, MutableFolder>; files: CatalogEntry[] };

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
const byName = (a: { name: string }, b: { name: string }) => collator.compare(a.name, b.name);

export function buildTree(entries: readonly CatalogEntry[]): FolderNode {
  const root: MutableFolder = { name: "", path: "", folders: new Map(), files: [] };
  for (const entry of entries) {
    const segments = pathSegments(entry.path);
    let folder = root;
    for (const segment of segments.slice(0, -1)) {
      let child = folder.folders.get(segment);
      if (!child) {
        child = {
          name: segment,
          path: folder.path ? `${folder.path}/${segment}` : segment,
          folders: new Map(),
          files: [],
        };
        folder.folders.set(segment, child);
      }
      folder = child;
    }
    folder.files.push(entry);
  }
  return freeze(root);
}

function freeze(folder: MutableFolder): FolderNode {
  const folders = [...folder.folders.values()].map(freeze).sort(byName);
  const files = folder.files
    .map((entry) => ({ name: fileNameOf(entry), entry }))
    .sort(byName)
    .map((f) => f.entry);
  const fileCount = files.length + folders.reduce((n, f) => n + f.fileCount, 0);
  const byteSize = files.reduce((n, f) => n + f.byte_size, 0) + folders.reduce((n, f) => n + f.byteSize, 0);
  return { name: folder.name, path: folder.path, folders, files, fileCount, byteSize };
}

/** The folder at `path` ("a/b"), or undefined when it does not exist (any more). */
export function findFolder(root: FolderNode, path: string): FolderNode | undefined {
  let folder: FolderNode | undefined = root;
  for (const segment of pathSegments(path)) {
    folder = folder.folders.find((f) => f.name === segment);
    if (!folder) return undefined;
  }
  return folder;
}

/** The breadcrumb trail to `path`: each ancestor's name and path, the root first. */
export function breadcrumbs(path: string): { name: string; path: string }[] {
  const segments = pathSegments(path);
  return segments.map((name, i) => ({ name, path: segments.slice(0, i + 1).join("/") }));
}

export type SearchResult = { matches: CatalogEntry[]; total: number };

/** Entries whose path, description or type contain every word of `query` (case-insensitive). */
export function searchEntries(entries: readonly CatalogEntry[], query: string, limit: number): SearchResult {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { matches: [], total: 0 };
  const matches: CatalogEntry[] = [];
  let total = 0;
  for (const entry of entries) {
    const haystack = `${entry.path}\n${entry.description}\n${entry.mime_type}`.toLowerCase();
    if (!words.every((w) => haystack.includes(w))) continue;
    total++;
    if (matches.length < limit) matches.push(entry);
  }
  return { matches, total };
}
