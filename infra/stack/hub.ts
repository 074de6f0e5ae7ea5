import type { NatsConnection } from "@nats-io/nats-core";
import { createCatalog, catalogFilePath } from "@natster/catalog";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { catalogWorkloadName, CATALOG_NAMESPACE, deployCatalogServer } from "../deploy/catalog-server.ts";
import { workloadPing } from "nex-node";
import { stackDeployKeys } from "./deploy-keys.ts";
import type { StackIdentity } from "@natster/identity";
import { StackError } from "./stack-error.ts";

export const HUB_CATALOG = "hub";

const WELCOME = `Welcome to Natster!

This catalog is served by the demo hub of your local stack. Every new account gets it shared,
so there is something to browse, watch and download right away.

Files here never pass through a cloud: they travel end-to-end encrypted, straight from the
catalog server to you, over NATS.
`;

/** A short MP4 (H.264 + AAC, fast start), an image and a text file, made with Debian's ffmpeg. */
export function generateHubMedia(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const ffmpeg = (args: string[]) => {
    try {
      execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", ...args], { stdio: "pipe" });
    } catch (e) {
      throw new StackError(
        "START_FAILED",
        `ffmpeg could not make the demo media (run scripts/setup.sh, which installs it): ${(e as Error).message}`,
      );
    }
  };
  const video = join(dir, "natster-demo.mp4");
  if (!existsSync(video)) {
    ffmpeg([
      "-f",
      "lavfi",
      "-i",
      "testsrc2=duration=20:size=640x360:rate=25",
      "-f",
      "lavfi",
      "-i",
      "sine=frequency=440:duration=20",
      "-c:v",
      "libx264",
      "-preset",
      "veryfast",
      "-pix_fmt",
      "yuv420p",
      "-g",
      "25",
      "-c:a",
      "aac",
      "-shortest",
      "-movflags",
      "+faststart",
      video,
    ]);
  }
  const image = join(dir, "natster.png");
  if (!existsSync(image)) ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=640x360", "-frames:v", "1", image]);
  const text = join(dir, "welcome.txt");
  if (!existsSync(text)) writeFileSync(text, WELCOME);
}

/** Creates the hub's catalog once and serves it on the hub's own Nex node (`hub` is a HUB connection). */
export async function ensureHubCatalog(
  hub: NatsConnection,
  dir: string,
  identity: StackIdentity,
  natsUrl: string,
  nodeId: string,
): Promise<boolean> {
  const hubKey = identity.accounts.HUB.public_key;
  const running = await workloadPing(hub, CATALOG_NAMESPACE, catalogWorkloadName(HUB_CATALOG, hubKey), 1000);
  if (running.some((p) => p.running_machines.length > 0)) return false;
  const home = join(dir, "hub");
  if (!existsSync(catalogFilePath(home, HUB_CATALOG))) {
    const media = join(home, "media");
    generateHubMedia(media);
    await createCatalog({ home, name: HUB_CATALOG, rootDir: media, description: "The Natster demo hub" });
  }
  // No creds in the request: the hub's node is a HUB user, and its workloads run as it.
  await deployCatalogServer({
    control: hub,
    nodeId,
    natsUrl,
    catalog: HUB_CATALOG,
    accountKey: hubKey,
    home,
    contextName: "default",
    ...stackDeployKeys(dir),
    artifact: "file",
  });
  return true;
}
