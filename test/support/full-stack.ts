import { readFileSync } from "node:fs";
import { startNexNode } from "nex-node";
import { defaultGlobalConfig, provisionGlobal } from "../../infra/global/provision.ts";
import { stackCredsPath } from "@natster/identity";
import { buildArtifacts, deployStack } from "../../infra/stack/deploy-stack.ts";
import { stackNodeConfig } from "../../infra/stack/nex-component.ts";
import { startTestStack, type TestStack } from "./test-stack.ts";

export type FullStack = TestStack & { nodeId: string };

let built: Promise<void> | undefined;
/** Bundles are built once per test process. */
const buildOnce = () => (built ??= buildArtifacts());

/** A Nex node (in-process) of the stack's global side, as `natster up` starts one; stopped with the stack. */
export async function startStackNexNode(stack: TestStack, name: string): Promise<{ nodeId: string }> {
  const node = await startNexNode({
    nc: await stack.connect("global", name),
    creds: readFileSync(stackCredsPath(stack.dir, "global"), "utf8"),
    servers: stack.url,
    config: stackNodeConfig(),
  });
  stack.defer(() => node.stop());
  return node;
}

/**
 * Everything `natster up` runs, on a fresh test server: the global service provisioned, a Nex node
 * (in-process) with every Nexfile deployed (functions, trigger bridge, entropy, authority).
 */
export async function startFullStack(opts: { webUrl?: string } = {}): Promise<FullStack> {
  await buildOnce();
  const stack = await startTestStack();
  try {
    const global = await stack.connect("global", "full-stack-global");
    const ids = stack.identity.accounts;
    await provisionGlobal(
      global,
      defaultGlobalConfig(
        { hub: ids.HUB.public_key, public: ids.NATSTER_PUBLIC.public_key, global: ids.NATSTER_GLOBAL.public_key },
        opts.webUrl,
      ),
    );
    const node = await startStackNexNode(stack, "full-stack-nex");
    await deployStack(
      global,
      stack.dir,
      { nodeId: node.nodeId, nodeIndex: 0, servers: stack.url, replicas: 1 },
      () => undefined,
    );
    return { ...stack, nodeId: node.nodeId };
  } catch (e) {
    await stack.stop();
    throw e;
  }
}
