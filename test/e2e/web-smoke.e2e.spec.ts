import type { Msg, NatsConnection } from "@nats-io/nats-core";
import { BROWSER_PERMISSIONS, fail, ok, sealLogin, Subjects, type CatalogShareSummary } from "@natster/protocol";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { chromium, type BrowserContext, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintUserCreds } from "../../cli/src/accounts/user-creds.ts";
import { credsText, readStackCreds } from "@natster/identity";
import { freePort } from "../../infra/stack/ports.ts";
import { buildWeb } from "../../infra/web/build.ts";
import { startWebServer, type WebServer } from "../../infra/web/server.ts";
import { createTestUser, publicAuthorityClient, runAuthority, type TestUser } from "../support/authority.ts";
import { startTestStack, type TestStack } from "../support/test-stack.ts";
import { CHROMIUM, CHROMIUM_ARGS } from "@natster/test-kit";

const SHOTS = join(process.cwd(), "test-results", "web");
const CODE_USED = "k7m2q9x4v8b6n1p0z5c3";
const enc = new TextEncoder();
const reply = (msg: Msg, body: unknown) => msg.respond(enc.encode(JSON.stringify(body)));

/** Stands in for the global service in NATSTER_GLOBAL: login code claims and `my.shares`. */
function standInGlobal(global: NatsConnection, publicAccount: string) {
  const codes = new Map<string, { account: string; sealed: string }>();
  const shares: CatalogShareSummary[] = [];
  global.subscribe(Subjects.globalFromCaller(publicAccount, "otc.claim"), {
    callback: (_e, msg) => {
      const { code } = msg.json<{ code: string }>();
      const record = codes.get(code);
      codes.delete(code);
      void reply(
        msg,
        record ? ok(record) : fail(404, "NOT_FOUND", "this login code does not exist, expired or was already used"),
      );
    },
  });
  // The caller's account is the token NATS writes through the export's token position.
  const callerToken = Subjects.globalFromCaller("*", "my.shares").split(".").indexOf("*");
  global.subscribe(Subjects.globalFromCaller("*", "my.shares"), {
    callback: (_e, msg) =>
      void reply(msg, ok(shares.filter((s) => s.to_account === msg.subject.split(".")[callerToken]))),
  });
  return { codes, shares };
}

describe("web app smoke: login flow and logged-in shell in Chromium", () => {
  let stack: TestStack;
  let user: TestUser;
  let hub: string;
  let global: NatsConnection;
  let standIn: ReturnType<typeof standInGlobal>;
  let web: WebServer;
  let context: BrowserContext;
  const dirs: string[] = [];
  const tempDir = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    for (let waited = 0; !existsSync(CHROMIUM); waited += 1000) {
      if (waited > 60_000) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
      await sleep(1000);
    }
    mkdirSync(SHOTS, { recursive: true });
    const distDir = tempDir("natster-web-dist-");
    const [started] = await Promise.all([startTestStack(), buildWeb(distDir)]);
    stack = started;
    await runAuthority(stack);
    user = await createTestUser(stack, await publicAuthorityClient(stack), "webuser");
    hub = stack.identity.accounts.HUB.public_key;
    global = await stack.connect("global", "e2e-global-stand-in");
    standIn = standInGlobal(global, stack.identity.accounts.NATSTER_PUBLIC.public_key);
    await global.flush();
    const publicCreds = credsText(readStackCreds(stack.dir, "public"));
    web = await startWebServer({
      host: "127.0.0.1",
      port: await freePort(),
      distDir,
      stackJson: { ws_url: stack.wsUrl, public_creds: publicCreds },
    });
    context = await chromium.launchPersistentContext(tempDir("natster-chromium-"), {
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS],
    });
  });

  afterAll(async () => {
    await context?.close();
    await web?.stop();
    await stack?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const shoot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const visible = async (locator: Locator) => {
    await locator.waitFor({ state: "visible", timeout: 20_000 });
    return locator;
  };

  /** A login link the way `natster login` prints it, for a fresh browser-only user of the test account. */
  async function loginLink(code: string): Promise<string> {
    const { creds } = await mintUserCreds(
      user.account.getPublicKey(),
      user.signingKey,
      "webuser-browser",
      BROWSER_PERMISSIONS,
      3600,
    );
    const { sealed, key } = await sealLogin(new TextDecoder().decode(creds));
    standIn.codes.set(code, { account: user.account.getPublicKey(), sealed });
    return `${web.url}/login/${code}#k=${key}`;
  }

  it("given no login, then the home page explains `natster login`", async () => {
    const page = await context.newPage();
    await page.goto(web.url);
    await visible(page.getByRole("heading", { name: "You are not logged in" }));
    expect(await page.locator("main").textContent()).toContain("natster login");
    await shoot(page, "01-not-logged-in");
    await page.close();
  });

  it("given a used or expired login link, then the page says so and drops the key from the URL", async () => {
    const page = await context.newPage();
    await page.goto(`${web.url}/login/${CODE_USED}#k=q2lV3Gz0kYpXnT8aW1sR4dFh6jL9mB7cE5uI0oPzQyA`);
    const alert = await visible(page.getByRole("alert"));
    expect(await alert.textContent()).toContain("already used or has expired");
    expect(page.url()).not.toContain("#");
    await shoot(page, "02-login-link-used");
    await page.close();
  });

  it("given a fresh login link, then the shell shows the account, survives a reload, and the link works only once", async () => {
    const account = user.account.getPublicKey();
    standIn.shares.push({
      from_account: hub,
      to_account: account,
      catalog: "films",
      catalog_online: false,
      revision: 0,
    });
    const link = await loginLink("m4n8p2q6r0s3t7v1w5x9");
    const page = await context.newPage();
    await page.goto(link);
    const key = await visible(page.getByTestId("account-key"));
    expect(await key.textContent()).toBe(account);
    expect(page.url()).toBe(`${web.url}/`);
    await page.getByRole("button", { name: "Copy account key" }).click();
    await visible(page.getByText(/Copied!|Account key selected/));
    const shared = page.getByRole("region", { name: "Shared with me" });
    await visible(shared.getByRole("button", { name: /films/ }));
    expect(await shared.textContent()).toContain("offline");
    await visible(page.getByRole("region", { name: "My catalogs" }));
    await visible(page.getByRole("region", { name: "Inbox" }));
    expect(await page.evaluate("window.localStorage.length")).toBe(0);
    await shoot(page, "03-logged-in");

    await page.reload();
    await visible(page.getByTestId("account-key"));

    const again = await context.newPage();
    await again.goto(link);
    expect(await (await visible(again.getByRole("alert"))).textContent()).toContain("already used or has expired");
    await again.close();

    await page.getByRole("button", { name: "Log out" }).click();
    await visible(page.getByRole("heading", { name: "You are not logged in" }));
    expect(await page.evaluate("window.sessionStorage.length")).toBe(0);
    await page.close();
  });

  it("given a logged-in page, when the catalog heart-beats on the live feed, then it turns online with a notice, without reload", async () => {
    const page = await context.newPage();
    await page.goto(await loginLink("a1b2c3d4e5f6g7h8j9k0"));
    // The row: the catalog's button and, beside it, its state badge (issue 18).
    const films = await visible(
      page.getByRole("region", { name: "Shared with me" }).getByRole("listitem", { name: "films" }),
    );
    global.publish(
      `${user.account.getPublicKey()}.natster.global-events.heartbeat`,
      JSON.stringify({ catalog: "films", account_key: hub, revision: 3 }),
    );
    await visible(page.getByText("films has come online"));
    expect(await films.textContent()).toContain("online");
    await shoot(page, "04-live-online-notice");
    await page.close();
  });
});
