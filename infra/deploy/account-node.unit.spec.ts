import { creditSubject, HeartbeatSubjects, mediaSubject, MY_SHARES, Subjects } from "@natster/protocol";
import { describe, expect, it } from "vitest";
import { subjectsOverlap } from "nex-node";
import { userNodeConfig, userNodePermissions } from "./account-node.ts";

const BOB = "ACMCEFPYWLDUFJJNAYCFAZ6KC6PUWS2PL4N4ORAODK2E3XFQOPTRQLVO";
const perms = userNodePermissions();
const allowed = (list: string[] | undefined, subject: string) => (list ?? []).some((p) => subjectsOverlap(p, subject));
const canPub = (s: string) => allowed(perms.pub?.allow, s);
const canSub = (s: string) => allowed(perms.sub?.allow, s);

describe("a user's own Nex node user", () => {
  it("given the node's control protocol, when checked, then it may serve $NEX.> and answer inboxes", () => {
    for (const s of ["$NEX.PING", "$NEX.DEPLOY.natster.NNODE", "$NEX.WPING.natster.catalog-movies-abc"])
      expect(canSub(s), s).toBe(true);
    for (const s of ["$NEX.events.natster.workload_deployed", "$NEX.logs.natster.NNODE.wid", "_INBOX.abc.1"])
      expect(canPub(s), s).toBe(true);
  });

  it("given the catalog server it runs, when checked, then every subject the server uses is allowed", () => {
    for (const s of [
      `${BOB}.natster.catalog.movies.get`,
      "natster.catalog.movies.download",
      `${BOB}.${creditSubject("movies", "t1")}`,
      "natster.local.inbox",
    ]) {
      expect(canSub(s), s).toBe(true);
    }
    for (const s of [
      `${BOB}.${mediaSubject("movies", "t1")}`,
      mediaSubject("movies", "t1"),
      MY_SHARES,
      HeartbeatSubjects.globalPut,
      HeartbeatSubjects.localHeartbeat,
      Subjects.global("events.put"),
    ]) {
      expect(canPub(s), s).toBe(true);
    }
    expect(perms.resp).toEqual({ max: 1, ttl: 0 });
  });

  it("given the local agent it runs, when checked, then it may hear the owner's servers beat and announce itself", () => {
    for (const s of [HeartbeatSubjects.localHeartbeat, HeartbeatSubjects.localOffline, "natster.local.import"])
      expect(canSub(s), s).toBe(true);
    expect(canPub("natster.local-events.agent_up")).toBe(true);
  });

  it("given anything else, when checked, then it is refused: no JetStream API, no system or service subjects, no catch-all", () => {
    for (const s of [
      "$JS.API.STREAM.LIST",
      "$SYS.REQ.CLAIMS.UPDATE",
      "$KV.NATSTER_CONFIG.web_url",
      "natster.authority.nonce",
      "anything.else",
    ]) {
      expect(canPub(s), s).toBe(false);
    }
    for (const s of ["$JS.API.STREAM.LIST", "$SYS.ACCOUNT.x.CONNECT", "natster.global.stats"])
      expect(canSub(s), s).toBe(false);
    expect([...(perms.pub?.allow ?? []), ...(perms.sub?.allow ?? [])]).not.toContain(">");
  });

  it("given its config, when built, then it runs native workloads only, and only from the user's own issuer", () => {
    const config = userNodeConfig("AALICE", "instance-1", "AISSUER");
    expect(config.workload_types).toEqual(["native"]);
    expect(config.valid_issuers).toEqual(["AISSUER"]);
    expect(config.tags).toMatchObject({ "natster.account": "AALICE", "natster.instance": "instance-1" });
  });
});
