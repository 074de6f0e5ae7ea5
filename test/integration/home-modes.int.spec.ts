import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { spawnLogged } from "../../infra/stack/processes.ts";
import { parseJson, runNatster } from "../support/cli-runner.ts";

const mode = (path: string) => statSync(path).mode & 0o777;

/** The home a careless copy or an old version left behind: everything readable by everyone. */
function carelessHome(): string {
  const home = join(mkdtempSync(join(tmpdir(), "natster-modes-")), "home");
  mkdirSync(join(home, "keys", "default", "nex"), { recursive: true });
  writeFileSync(join(home, "keys", "default", "account.nk"), "SAEXAMPLE");
  writeFileSync(join(home, "keys", "default", "nex", "publisher.xk"), "SXEXAMPLE");
  writeFileSync(join(home, "default.creds"), "creds");
  writeFileSync(join(home, "default.context"), "{}");
  for (const dir of [home, join(home, "keys"), join(home, "keys", "default"), join(home, "keys", "default", "nex")])
    chmodSync(dir, 0o755);
  for (const f of ["keys/default/account.nk", "keys/default/nex/publisher.xk", "default.creds", "default.context"])
    chmodSync(join(home, f), 0o644);
  return home;
}

describe("NATSTER_HOME file modes", () => {
  const homes: string[] = [];
  afterAll(() => homes.forEach((h) => rmSync(join(h, ".."), { recursive: true, force: true })));

  it("given a world-readable home, when any command runs, then the home and key folders are 0700 and seed files 0600, with a warning per fix", async () => {
    const home = carelessHome();
    homes.push(home);
    const env = { NATSTER_HOME: home, NATSTER_STACK_DIR: join(home, "stack") };
    const first = await runNatster(["whoami"], env);
    for (const dir of ["", "keys", "keys/default", "keys/default/nex"]) expect(mode(join(home, dir)), dir).toBe(0o700);
    for (const f of ["keys/default/account.nk", "keys/default/nex/publisher.xk", "default.creds"])
      expect(mode(join(home, f)), f).toBe(0o600);
    expect(mode(join(home, "default.context"))).toBe(0o644);
    expect(first.stderr.match(/warning \[INSECURE_MODE_FIXED\]/g)).toHaveLength(7);
    expect(first.stderr).toContain(`${join(home, "default.creds")} was 0644`);

    const second = await runNatster(["whoami"], env);
    expect(second.stderr).not.toContain("INSECURE_MODE_FIXED");
  });

  it("given a node log started the way `natster node up` starts it, when the next command runs, then the log is already 0600 and nothing is fixed", async () => {
    const home = join(mkdtempSync(join(tmpdir(), "natster-modes-")), "home");
    homes.push(home);
    const env = { NATSTER_HOME: home, NATSTER_STACK_DIR: join(home, "stack") };
    await runNatster(["whoami"], env);
    const nodeDir = join(home, "node", "default");
    mkdirSync(nodeDir, { recursive: true, mode: 0o700 });
    const log = join(nodeDir, "node.log");
    const previousUmask = process.umask(0o022);
    try {
      spawnLogged({ command: "true", args: [], logPath: log, detached: false });
    } finally {
      process.umask(previousUmask);
    }
    expect(mode(log)).toBe(0o600);
    const next = await runNatster(["whoami"], env);
    expect(next.stderr).not.toContain("INSECURE_MODE_FIXED");
  });

  it("given no home yet, when a command runs, then the home is created 0700", async () => {
    const home = join(mkdtempSync(join(tmpdir(), "natster-modes-")), "home");
    homes.push(home);
    await runNatster(["whoami"], { NATSTER_HOME: home, NATSTER_STACK_DIR: join(home, "stack") });
    expect(mode(home)).toBe(0o700);
  });

  it.each(["../escape", "/etc/passwd"])("refuses --context %s with BAD_CONTEXT_NAME", async (name) => {
    const home = join(mkdtempSync(join(tmpdir(), "natster-modes-")), "home");
    homes.push(home);
    const r = await runNatster(["--json", "--context", name, "whoami"], {
      NATSTER_HOME: home,
      NATSTER_STACK_DIR: join(home, "stack"),
    });
    expect(r.code).toBe(1);
    expect(parseJson<{ error: { code: string } }>(r).error.code).toBe("BAD_CONTEXT_NAME");
  });
});
