import { expect } from "vitest";
import { show } from "./cli-e2e.ts";
import { visible } from "./web-browser.ts";
import { whenBadge } from "./web-full-steps.ts";
import { FILMS, OFFLINE_WAIT_MS, ONLINE_WAIT_MS, type WebFullSession } from "./web-full-session.ts";

/**
 * alice serves her catalog: it turns online in bob's Inbox, he imports it with the Import button,
 * and it goes offline and online live (the same document, no reload) as she stops and restarts serving.
 */
export async function importAndFollowLive(s: WebFullSession): Promise<void> {
  await s.page.evaluate("window.__noReload = 'still the same document'");
  const pending = await visible(s.region("Shared with me").getByRole("listitem", { name: FILMS }));

  s.films = await s.serve(s.alice, FILMS);
  await visible(pending.getByText("not imported", { exact: true }));
  await s.shoot("02-inbox-pending");

  await pending.getByRole("button", { name: `Import ${FILMS}` }).click();
  await visible(s.page.getByText(`${FILMS} is now in your library`), 30_000);
  const imported = await visible(s.sharedRow(FILMS), 30_000);
  await whenBadge(imported, "online", ONLINE_WAIT_MS);
  await visible(s.region("Inbox").getByText("No pending shares."));
  await s.shoot("03-imported-online");

  // Ctrl-C on `natster catalog serve`: the Nex node stops the workload, which says goodbye.
  const sigintAt = Date.now();
  const offlineAt = whenBadge(imported, "offline", OFFLINE_WAIT_MS);
  offlineAt.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
  const stopped = await s.films.process.stop();
  expect(stopped.code, show(stopped)).toBe(0);
  s.measured.offline_after_sigint_ms = (await offlineAt) - sigintAt;
  // The server logs "SIGINT: going offline" just before it publishes its goodbye.
  const goodbyeAt = await s.serverStamp(s.films, /: SIGINT: going offline$/, sigintAt);
  s.measured.offline_after_server_sigint_ms = (await offlineAt) - goodbyeAt;
  await visible(s.page.getByText(`${FILMS} has gone offline`));
  await s.shoot("04-offline");

  // Serving again: watched from before the spawn, so the flip is timed, not found done.
  const spawnedAt = Date.now();
  const onlineAt = whenBadge(imported, "online", 60_000 + ONLINE_WAIT_MS);
  onlineAt.catch(() => undefined);
  s.films = await s.serve(s.alice, FILMS);
  // ... and "serving catalog" right after its first heartbeat.
  const serverUpAt = await s.serverStamp(s.films, new RegExp(`serving catalog ${FILMS}; local services`), spawnedAt);
  s.measured.online_after_serve_ms = (await onlineAt) - spawnedAt;
  s.measured.online_after_server_up_ms = (await onlineAt) - serverUpAt;
  await visible(s.page.getByText(`${FILMS} has come online`).last());
  await s.shoot("05-online-again");

  expect(await s.page.evaluate<string | undefined>("window.__noReload")).toBe("still the same document");
  console.log(
    `[web-full] ${FILMS} offline in the page ${String(s.measured.offline_after_sigint_ms)} ms after Ctrl-C (${String(s.measured.offline_after_server_sigint_ms)} ms after its server got SIGINT); ` +
      `online ${String(s.measured.online_after_server_up_ms)} ms after its server's first heartbeat (${String(s.measured.online_after_serve_ms)} ms after \`catalog serve\` was started)`,
  );
}
