/** Catalog names: letters and digits, as upstream's event validator demands, capped for subject sanity. */
export const CATALOG_NAME = /^[A-Za-z0-9]{1,64}$/;
export const isCatalogName = (s: unknown): s is string => typeof s === "string" && CATALOG_NAME.test(s);

/** Catalog names are case-insensitive everywhere (upstream bug 17); this is the one normal form. */
export const normalizeCatalogName = (s: string): string => s.toLowerCase();

/** Nex workload names (`^[a-zA-Z0-9_-]+$`, control-api/run.go). */
export const WORKLOAD_NAME = /^[a-zA-Z0-9_-]+$/;

/** CLI context names: a plain name, never a path (`--context ../x` must not reach outside NATSTER_HOME). */
export const CONTEXT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const isContextName = (s: unknown): s is string => typeof s === "string" && CONTEXT_NAME.test(s);
