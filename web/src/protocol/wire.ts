/** What only the page reads off the wire; the shared contract is `@natster/protocol`. */
import { localServiceSubject, Subjects } from "@natster/protocol";

/** `/stack.json`, served by the web server: where NATS is (every server of a cluster) and the public (claim-only) user. */
export type StackInfo = { ws_url: string; ws_urls: string[]; public_creds: string };

export const Feeds = {
  global: "natster.global-events.>",
  local: "natster.local-events.>",
} as const;

export const GlobalRequests = {
  myShares: Subjects.global("my.shares"),
  otcClaim: Subjects.global("otc.claim"),
} as const;

/** The owner's local services (answered by its catalog servers or its local agent). */
export const LocalServices = {
  inbox: localServiceSubject("inbox"),
  import: localServiceSubject("import"),
} as const;
