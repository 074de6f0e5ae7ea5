/**
 * The local agent against a real operator-mode nats-server: with no catalog served it answers the
 * page's inbox (shares not imported yet, what the context imported, the own catalogs it heard beat)
 * and refuses unknown verbs, in the owner's account only.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalAgent, type LocalAgent } from "../../workloads/local-agent/src/agent.ts";
import { requestJson } from "../../workloads/catalog-server/test/catalog-fixture.ts";
import { until } from "@natster/test-kit";
import { startWorld, type World } from "../../workloads/catalog-server/test/world.ts";

type Inbox = {
  catalog?: string;
  account_key: string;
  unimported_shares: { catalog: string }[];
  imports: { catalog: string; from: string }[];
  catalogs: { catalog: string; revision: number }[];
};

describe("local agent", () => {
  let w: World;
  let agent: LocalAgent;
  const lines: string[] = [];
  const inbox = () => requestJson<Inbox>(w.ownerNc, "natster.local.inbox");

  beforeAll(async () => {
    w = await startWorld([]);
    agent = await startLocalAgent({
      nc: await w.owner.connect("local-agent"),
      home: w.dirs.home,
      contextName: "default",
      accountKey: w.ownerKey,
      log: (l) => lines.push(l),
    });
    w.stack.defer(() => agent.stop());
  });
  afterAll(() => w?.stack.stop());

  it("given it starts, then it says so on the owner's local feed, so an open page reads its inbox at once", async () => {
    await until(() => w.localEvents.some((e) => e.subject === "natster.local-events.agent_up"), "the agent's hello");
    expect(w.localEvents.find((e) => e.subject === "natster.local-events.agent_up")?.body).toEqual({
      account_key: w.ownerKey,
    });
  });

  it("given no catalog served, then the inbox lists the unimported shares and the imports, and names no catalog of its own", async () => {
    w.global.share(w.friendKey, w.ownerKey, "friendpics");
    w.global.share(w.strangerKey, w.ownerKey, "strangerstuff");
    writeFileSync(
      join(w.dirs.home, "default.context"),
      JSON.stringify({ imports: [{ catalog: "strangerstuff", from: w.strangerKey }] }),
    );
    const reply = await inbox();
    expect(reply.code).toBe(200);
    expect(reply.data).toMatchObject({
      account_key: w.ownerKey,
      imports: [{ catalog: "strangerstuff", from: w.strangerKey }],
      catalogs: [],
    });
    expect(reply.data?.catalog).toBeUndefined();
    expect(reply.data?.unimported_shares.map((s) => s.catalog)).toEqual(["friendpics"]);
  });

  it("given the owner serves a catalog, then the agent lists it from its heartbeats", async () => {
    await w.serve("movies", { "a.txt": "a" }, { heartbeatMs: 300 });
    await until(
      async () => ((await inbox()).data?.catalogs ?? []).some((c) => c.catalog === "movies"),
      "the agent heard movies beat",
    );
  });

  it("given an unknown verb or a bad import, then a clear error with a stable code", async () => {
    expect(await requestJson(w.ownerNc, "natster.local.nope")).toMatchObject({ code: 404, error_code: "UNKNOWN_VERB" });
    expect(
      await requestJson(w.ownerNc, "natster.local.import", { catalog: "bad name!", from: w.friendKey }),
    ).toMatchObject({ code: 400, error_code: "BAD_CATALOG_NAME" });
  });
});
