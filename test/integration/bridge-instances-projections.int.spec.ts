import type { NatsConnection } from "@nats-io/nats-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployBridge, findBridge, rebuildProjections } from "../../infra/global/rebuild.ts";
import { publicAuthorityClient } from "../support/authority.ts";
import { startFullStack, startStackNexNode, type FullStack } from "../support/full-stack.ts";
import {
  initialize,
  newMember,
  projectionsCaughtUp,
  snapshotProjections,
  type Member,
} from "../support/global-service.ts";

describe("projections fed by two trigger bridges, one per global Nex node", () => {
  let stack: FullStack;
  let global: NatsConnection;
  let members: Member[];
  let secondNode: string;

  beforeAll(async () => {
    stack = await startFullStack();
    global = await stack.connect("global", "two-bridges-global");
    secondNode = (await startStackNexNode(stack, "second-nex")).nodeId;
    await deployBridge(global, { stackDir: stack.dir, natsUrl: stack.url, nodeId: secondNode });
    const authority = await publicAuthorityClient(stack);
    members = await Promise.all(Array.from({ length: 4 }, (_, i) => newMember(stack, authority, `two-${i}`)));
    await Promise.all(members.map(initialize));
  }, 180_000);
  afterAll(() => stack?.stop());

  it("given a burst of shares and unshares, when both bridges run, then the projections equal a rebuild from the log, byte for byte, and the rebuild brings both bridges back", async () => {
    expect(new Set((await findBridge(global)).map((b) => b.nodeId))).toEqual(new Set([stack.nodeId, secondNode]));
    const share = (m: Member, catalog: string, target: string, type: "catalog_shared" | "catalog_unshared") =>
      m.global.putEvent({ catalog, target, event_type: type, data: null });
    const pairs = members.flatMap((m, i) => members.filter((_, j) => j !== i).map((other, k) => ({ m, i, other, k })));
    await Promise.all(pairs.map(({ m, i, other }) => share(m, `burst${i}`, other.key, "catalog_shared")));
    await projectionsCaughtUp(global, 60_000);
    // An unshare needs its share projected: the second burst unshares some and shares new catalogs.
    await Promise.all(
      pairs.map(({ m, i, other, k }) =>
        k % 2 === 0
          ? share(m, `burst${i}`, other.key, "catalog_unshared")
          : share(m, `more${i}`, other.key, "catalog_shared"),
      ),
    );
    await projectionsCaughtUp(global, 60_000);
    const live = await snapshotProjections(global);
    expect(Object.keys(live.PROJ_CATALOG ?? {})).toHaveLength(2 * members.length + 1); // burst<i>, more<i> and the hub

    await rebuildProjections(global, { stackDir: stack.dir, natsUrl: stack.url, timeoutMs: 120_000 });
    expect(JSON.stringify(await snapshotProjections(global))).toBe(JSON.stringify(live));
    expect(new Set((await findBridge(global)).map((b) => b.nodeId))).toEqual(new Set([stack.nodeId, secondNode]));
  });
});
