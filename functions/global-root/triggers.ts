import { Subjects } from "@natster/protocol";

/** Core-NATS trigger subjects of this function: the caller's key is the export's account token. */
export const triggers = [Subjects.globalFromCaller("*", "*")] as const;
