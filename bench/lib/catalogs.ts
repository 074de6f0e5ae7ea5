import { createCatalog } from "@natster/catalog";
import { bundleWorkload } from "../../workloads/build.ts";
import { CATALOG_SERVER_ARTIFACT, startChild, type ChildService } from "./child.ts";
import type { World } from "./world.ts";

export type ServeOptions = { home: string; name: string; allowPlaintext?: boolean };

/** `catalog new` over `root` (the real ingest), then the owner shares it with the friend, who imports it. */
export async function prepareCatalog(world: World, opts: { home: string; name: string; root: string }): Promise<void> {
  await createCatalog({ home: opts.home, name: opts.name, rootDir: opts.root, overwrite: true });
  await world.share(opts.name);
}

let bundled: Promise<unknown> | undefined;

/** The real catalog-server workload (the bundled Nex artifact, rebuilt once per run from the source) as a child process of the owner's account. */
export async function serveCatalogProcess(world: World, opts: ServeOptions): Promise<ChildService> {
  await (bundled ??= bundleWorkload("catalog-server"));
  return startChild({
    name: `catalog-server ${opts.name}`,
    entry: { artifact: CATALOG_SERVER_ARTIFACT },
    env: {
      ...(await world.ownerWorkloadEnv(`catalog-server-${opts.name}`)),
      NATSTER_CATALOG: opts.name,
      NATSTER_HOME: opts.home,
      ...(opts.allowPlaintext ? { NATSTER_ALLOW_PLAINTEXT: "1" } : {}),
    },
    ready: /serving catalog/,
  });
}
