import type { WorkloadManifest } from "../../nexfiles/manifest.ts";

export const manifest: WorkloadManifest = {
  description:
    "Feeds JetStream events to functions (durable consumer per function; NATSTER_BRIDGE_CONFIG is derived from the function Nexfiles at deploy)",
  /** src/main.ts reads its triggers from this variable. */
  jetstreamTriggersEnv: "NATSTER_BRIDGE_CONFIG",
};
