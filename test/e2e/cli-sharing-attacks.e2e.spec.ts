/**
 * End to end, with the real `bin/natster` against the real stack of `natster up`: alice serves a
 * catalog and shares it with bob; mallory, a third account initialized like anyone else, tries to
 * get at it: by importing it anyway, through the authority, and with an operator-signed forged
 * account JWT. Every user has their own NATSTER_HOME.
 */
import { encodeAccount } from "@nats-io/jwt";
import type { NatsConnection } from "@nats-io/nats-core";
import { connectWithCreds, lookupAccountJwt, pushAccountJwt } from "@natster/node-kit";
import { catalogImports, globalImports, userExports, USER_LIMITS } from "@natster/protocol";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthorityClient } from "../../cli/src/accounts/authority-client.ts";
import { notYet, until } from "@natster/test-kit";
import type { E2eUser } from "./support/cli-e2e.ts";
import {
  failed,
  show,
  SETUP_TIMEOUT_MS,
  TEARDOWN_TIMEOUT_MS,
  succeeded,
  tearDownStack,
  type E2eStack,
  type ServedCatalog,
} from "./support/cli-e2e.ts";
import { enc, jwtImports, readSeed, startSharingWorld, type Sources } from "./support/sharing-fixture.ts";

describe("natster CLI e2e: an attacker against a share (alice shares with bob, mallory tries, on one real stack)", () => {
  let root: string;
  let stack: E2eStack | undefined;
  let alice: E2eUser;
  let bob: E2eUser;
  let mallory: E2eUser;
  let downloads: string;
  let served: ServedCatalog | undefined;
  let src: Sources;

  const out = (name: string) => join(downloads, name);

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "natster-e2e-attacks-"));
    let media: string;
    ({ media, downloads, src, stack, alice, bob, mallory } = await startSharingWorld(root));
    // What cli-sharing.e2e.spec.ts tests step by step: alice serves "movies", shares it with bob, bob imports it.
    await Promise.all([alice, bob, mallory].map((u) => u.init()));
    succeeded(await alice.json("catalog", "new", "movies", "my movies", media));
    served = await alice.serve("movies");
    await until(
      async () => {
        const r = await alice.json("catalog", "contents", "movies");
        return r.code === 0 ? true : notYet(show(r));
      },
      "alice's catalog answers through the Nex workload",
      30_000,
      200,
    );
    succeeded(await alice.json("catalog", "share", "movies", bob.key));
    succeeded(await bob.json("catalog", "import", "movies", alice.key));
  }, SETUP_TIMEOUT_MS);

  afterAll(() => tearDownStack(root), TEARDOWN_TIMEOUT_MS);

  it("mallory imports alice's catalog with alice's key, never shared with her: contents and download are FORBIDDEN", async () => {
    // As upstream, the authority places the import (the catalog server is the gate); the CLI warns her.
    const imported = succeeded<{ imports: unknown[]; shared: boolean }>(
      await mallory.json("catalog", "import", "movies", alice.key),
    );
    expect(imported.imports).toContainEqual({ catalog: "movies", from: alice.key });
    expect(imported.shared, "the import says no share of it is recorded for mallory").toBe(false);
    const [contents, download] = await Promise.all([
      mallory.json("catalog", "contents", "movies"),
      mallory.json("catalog", "download", "movies", src.clip.hash, out("mallory-clip.bin")),
    ]);
    expect(failed(contents).code).toBe("FORBIDDEN");
    expect(failed(download).code).toBe("FORBIDDEN");
    expect(existsSync(out("mallory-clip.bin"))).toBe(false);
    await served!.process.waitFor(
      "stdout",
      new RegExp(`download from ${mallory.key} -> 403 FORBIDDEN`),
      10_000,
      "the server refused mallory",
    );
  });

  it("mallory asks the authority for an import naming bob's key in the token position: AUTH_IMPORT_TOKEN", async () => {
    const account = readSeed(join(mallory.home, "keys", "default", "account.nk"));
    expect(account.getPublicKey()).toBe(mallory.key);
    const signup = await connectWithCreds(
      stack!.info.nats_url,
      enc.encode(stack!.info.public_creds),
      "e2e-mallory-signup",
    );
    try {
      const forged = catalogImports(bob.key, { catalog: "movies", from: alice.key });
      await expect(new AuthorityClient(signup).addImports(account, forged)).rejects.toMatchObject({
        code: "AUTH_IMPORT_TOKEN",
      });
    } finally {
      await signup.close();
    }
    const sys = await connectWithCreds(
      stack!.info.nats_url,
      readFileSync(join(stack!.stackDir, "creds", "sys.creds")),
      "e2e-sys",
    );
    try {
      const jwt = await lookupAccountJwt(sys, mallory.key);
      expect(jwt, "mallory's account is in the resolver").toBeDefined();
      const imports = jwtImports(jwt!);
      expect(imports.filter((i) => i.subject.startsWith(bob.key))).toEqual([]);
    } finally {
      await sys.close();
    }
  });

  it("even an operator-signed forged account JWT naming bob's key (authority bypassed) gets mallory no data", async () => {
    const account = readSeed(join(mallory.home, "keys", "default", "account.nk"));
    const signing = readSeed(join(mallory.home, "keys", "default", "signing.nk"));
    const operatorSigning = readSeed(join(stack!.stackDir, "keys", "operator-signing.nk"));
    const forgedImports = catalogImports(bob.key, { catalog: "movies", from: alice.key });
    const jwt = await encodeAccount(
      "mallory",
      account,
      {
        exports: userExports(),
        imports: [...globalImports(mallory.key, stack!.info.accounts.global), ...forgedImports],
        limits: USER_LIMITS,
        signing_keys: [signing.getPublicKey()],
      },
      { signer: operatorSigning },
    );
    const sys = await connectWithCreds(
      stack!.info.nats_url,
      readFileSync(join(stack!.stackDir, "creds", "sys.creds")),
      "e2e-sys",
    );
    let raw: NatsConnection | undefined;
    try {
      await pushAccountJwt(sys, jwt);
      const held = await lookupAccountJwt(sys, mallory.key);
      expect(
        jwtImports(held!).map((i) => i.subject),
        "the resolver holds the forged imports",
      ).toContain(`${bob.key}.natster.catalog.movies.>`);

      const logFrom = served!.process.stdout.length;
      // Bob still has his share: if the forged import worked, alice's server would answer it.
      const [contents, download] = await Promise.all([
        mallory.json("catalog", "contents", "movies"),
        mallory.json("catalog", "download", "movies", src.clip.hash, out("forged-clip.bin")),
      ]);
      const listed = failed(contents);
      expect(listed.code).not.toBe("FORBIDDEN");
      expect(["CATALOG_OFFLINE", "TIMEOUT"]).toContain(listed.code);
      expect(["CATALOG_OFFLINE", "TIMEOUT"]).toContain(failed(download).code);
      expect(existsSync(out("forged-clip.bin"))).toBe(false);

      raw = await connectWithCreds(
        stack!.info.nats_url,
        readFileSync(join(mallory.home, "default.creds")),
        "e2e-mallory-raw",
      );
      await expect(raw.request("natster.catalog.movies.get", new Uint8Array(), { timeout: 1500 })).rejects.toThrow(
        /no responders|timeout/i,
      );
      await expect(
        raw.request(`${bob.key}.natster.catalog.movies.get`, new Uint8Array(), { timeout: 1500 }),
      ).rejects.toThrow(/no responders|timeout/i);
      expect(served!.process.stdout.slice(logFrom), "alice's server saw no request in bob's name").not.toContain(
        bob.key,
      );
    } finally {
      await raw?.close();
      await sys.close();
    }
  });
});
