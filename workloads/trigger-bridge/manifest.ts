import type { WorkloadManifest } from "../../nexfiles/manifest.ts";
import { BRIDGE_CONFIG_ENV } from "./src/config.ts";

export const manifest: WorkloadManifest = {
  description:
    "Feeds JetStream events to functions (a durable consumer per durable, shared by the functions naming it; NATSTER_BRIDGE_CONFIG is derived from the function Nexfiles at deploy)",
  jetstreamTriggersEnv: BRIDGE_CONFIG_ENV,
};
