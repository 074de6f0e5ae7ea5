import type { WorkloadManifest } from "../../nexfiles/manifest.ts";

export const manifest: WorkloadManifest = {
  description: "Cryptographic randomness for the functions (V8 has no CSPRNG)",
};
