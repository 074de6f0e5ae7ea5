type Props = { code: string | undefined; message: string; catalog: string; online: boolean; onRetry: () => void };

/** The empty/error states of a catalog that did not load, in words a person can act on. */
export function CatalogProblem({ code, message, catalog, online, onRetry }: Props) {
  // A known-offline catalog that does not answer is offline, whatever the failure looked like.
  const [title, text] = explain(!online && code === "TIMEOUT" ? "CATALOG_OFFLINE" : code, catalog, message);
  return (
    <div class="problem" role="alert">
      <h3>{title}</h3>
      <p>{text}</p>
      <button type="button" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}

function explain(code: string | undefined, catalog: string, message: string): [string, string] {
  switch (code) {
    case "CATALOG_OFFLINE":
      return [
        "Catalog offline",
        `Nobody serves ${catalog} right now. It loads by itself when its owner's catalog server comes back online.`,
      ];
    case "TIMEOUT":
      return [
        "No answer",
        `The catalog server for ${catalog} did not answer in time. It may be busy or going offline.`,
      ];
    case "FORBIDDEN":
      return ["Not shared with you", `${catalog} is not shared with you (any more). Ask its owner to share it again.`];
    default:
      return ["Could not load the catalog", message];
  }
}
