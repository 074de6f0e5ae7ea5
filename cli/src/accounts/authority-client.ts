/** The authority client lives in @natster/node-kit (the catalog server uses it too). */
export { AuthorityClient } from "@natster/node-kit";
