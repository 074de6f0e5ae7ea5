export { isImportOf, isSharedWith, pendingShares } from "./pending-shares.ts";
export {
  describeFailure,
  importedEvent,
  parseImportRequest,
  refuseShadowing,
  type ImportOutcome,
} from "./import-plan.ts";
export { importSharedCatalog, type ImportPorts } from "./import-catalog.ts";
export { readContextImports, saveContextImports } from "./context-imports.ts";
export { withAuthority } from "./authority-session.ts";
export { ownCatalogIn, ownerImportPorts } from "./owner-import.ts";
export { fetchMyShares } from "./my-shares.ts";
export { handleLocalService, type LocalServicesDeps, type LocalImportReply } from "./local-services.ts";
