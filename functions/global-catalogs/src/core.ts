import type { GlobalConfig, ValidateNameReply } from "@natster/protocol";
import { text } from "nex-fn";
import { catalogName, parseJsonText } from "../../_lib/src/input.ts";
import { reject } from "../../_lib/src/rejection.ts";

export const NAME_TAKEN_MESSAGE = "Another account has already shared a catalog with this name";

/** The body is the raw name bytes (upstream); a JSON string is accepted too. Returns the normal form. */
export function parseCatalogNameBody(payload: ArrayLike<number>): string {
  const body = text(payload).trim();
  const name = body.startsWith('"') ? parseJsonText(body) : body;
  if (typeof name !== "string") return reject("BAD_REQUEST", "the body must be a catalog name");
  return catalogName(name);
}

/** Advisory, as upstream: the name is free, or already the caller's. */
export function validateName(
  name: string,
  caller: string,
  owner: string | undefined,
  config: Pick<GlobalConfig, "hub" | "hub_catalog">,
): ValidateNameReply {
  const reserved = name === config.hub_catalog && caller !== config.hub;
  const taken = reserved || (owner !== undefined && owner !== caller);
  return taken ? { valid: false, message: NAME_TAKEN_MESSAGE } : { valid: true, message: "" };
}
