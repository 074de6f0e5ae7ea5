import type { WorkloadManifest } from "../../nexfiles/manifest.ts";

export const manifest: WorkloadManifest = {
  description: "Signs user accounts from the Natster template only (replaces the Synadia Cloud control plane)",
  environment: { NATSTER_STACK_DIR: "${NATSTER_STACK_DIR}" },
  identity: "authority",
};
