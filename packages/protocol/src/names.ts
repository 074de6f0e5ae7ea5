/** Catalog names: letters and digits, as upstream's event validator demands, capped for subject sanity. */
export const CATALOG_NAME = /^[A-Za-z0-9]{1,64}$/;
export const isCatalogName = (s: unknown): s is string => typeof s === "string" && CATALOG_NAME.test(s);

/** Catalog names are case-insensitive everywhere (upstream bug 17); this is the one normal form. */
export const normalizeCatalogName = (s: string): string => s.toLowerCase();

/** Nex workload names (`^[a-zA-Z0-9_-]+$`, control-api/run.go). */
export const WORKLOAD_NAME = /^[a-zA-Z0-9_-]+$/;
