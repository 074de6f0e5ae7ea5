export { BASE_ACCOUNTS, STACK_USERS, type BaseAccount, type StackIdentity, type StackUser } from "./identity-model.ts";
export {
  ensureStackIdentity,
  loadStackIdentity,
  loadStackKey,
  stackCredsPath,
  readStackCreds,
  credsText,
} from "./bootstrap.ts";
export { baseAccountClaims, stackUserPermissions } from "./base-claims.ts";
export { natsterHome, stackDir, stackPaths, clientInfoPath } from "./paths.ts";
export {
  writeClientInfo,
  readClientInfo,
  stackNatsUrls,
  stackWsUrls,
  stackServers,
  type StackClientInfo,
} from "./client-info.ts";
