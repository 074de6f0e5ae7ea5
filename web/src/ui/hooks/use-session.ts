import type { NatsConnection } from "@nats-io/nats-core";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { connectWithCreds, isLoginRejected, watchConnection, type ConnectionStatus } from "../../nats/connection.ts";
import { claimLogin, fetchStackInfo, LOGIN_MESSAGES, LoginError } from "../../session/claim-login.ts";
import { parseLoginLink } from "../../session/login-link.ts";
import { revokeLogin } from "../../session/revoke-login.ts";
import { clearSession, loadSession, saveSession, type Session } from "../../session/session-store.ts";
import { readUserClaims } from "../../session/user-jwt.ts";

export type SessionView =
  | { kind: "starting"; step: string }
  | { kind: "logged-out"; message?: string; tone?: "error" | "info"; canResume?: boolean }
  | { kind: "disconnected"; session: Session; message: string }
  /** `connection` numbers connections, so a new one starts a fresh shell. */
  | { kind: "logged-in"; session: Session; nc: NatsConnection; status: ConnectionStatus; connection: number };

export type SessionControls = { view: SessionView; logOut: () => void; retry: () => void };

/** The login life cycle: claim a link, or resume this tab's session; connect; follow; log out. */
export function useSession(): SessionControls {
  const [view, setView] = useState<SessionView>({ kind: "starting", step: "Starting…" });
  const current = useRef<NatsConnection | undefined>(undefined);
  const closingOnPurpose = useRef(false);
  const connections = useRef(0);

  const connect = useCallback(async (session: Session) => {
    const expiresAt = readUserClaims(session.creds)?.expiresAt;
    if (expiresAt !== undefined && expiresAt <= Date.now()) {
      clearSession();
      return setView({ kind: "logged-out", message: LOGIN_MESSAGES["login-rejected"], tone: "error" });
    }
    setView({ kind: "starting", step: "Connecting to Natster…" });
    let nc: NatsConnection;
    try {
      nc = await connectWithCreds(session.ws_urls ?? session.ws_url, session.creds, "natster_ui");
    } catch (error) {
      if (isLoginRejected(error)) {
        clearSession();
        return setView({ kind: "logged-out", message: LOGIN_MESSAGES["login-rejected"], tone: "error" });
      }
      return setView({ kind: "disconnected", session, message: "Natster's servers cannot be reached right now." });
    }
    current.current = nc;
    closingOnPurpose.current = false;
    watchConnection(nc, {
      onStatus: (status) => setView((v) => (v.kind === "logged-in" && v.nc === nc ? { ...v, status } : v)),
      onLoginRejected: () => {
        if (closingOnPurpose.current) return;
        clearSession();
        setView({ kind: "logged-out", message: LOGIN_MESSAGES["login-rejected"], tone: "error" });
      },
      onClosed: () => {
        if (!closingOnPurpose.current)
          setView({ kind: "disconnected", session, message: "The connection to Natster was closed." });
      },
    });
    setView({ kind: "logged-in", session, nc, status: "connected", connection: ++connections.current });
  }, []);

  const start = useCallback(async () => {
    const link = parseLoginLink(location.pathname, location.hash);
    if (!link) {
      const session = loadSession();
      return session ? connect(session) : setView({ kind: "logged-out" });
    }
    // The key must not linger in the address bar or the history.
    history.replaceState(null, "", link.code ? `/login/${link.code}` : "/");
    setView({ kind: "starting", step: "Logging in…" });
    try {
      const session = await claimLogin(link, await fetchStackInfo());
      saveSession(session);
      history.replaceState(null, "", "/");
      await connect(session);
    } catch (error) {
      history.replaceState(null, "", "/");
      const message =
        error instanceof LoginError
          ? error.message
          : `Login failed: ${error instanceof Error ? error.message : String(error)}`;
      setView({ kind: "logged-out", message, tone: "error", canResume: loadSession() !== undefined });
    }
  }, [connect]);

  useEffect(() => {
    void start();
  }, [start]);

  /** Revokes this browser user on the server (so a copy of the session dies too), then forgets it. */
  const logOut = useCallback(() => {
    closingOnPurpose.current = true;
    void current.current?.close().catch(() => undefined);
    current.current = undefined;
    const session = loadSession();
    setView({ kind: "starting", step: "Logging out…" });
    void (async () => {
      let revoked = true;
      if (session)
        revoked = await fetchStackInfo()
          .then((stack) => revokeLogin(session, stack))
          .then(
            () => true,
            () => false,
          );
      clearSession();
      setView(
        revoked
          ? {
              kind: "logged-out",
              message: "You are logged out: this login is revoked on the server and this browser keeps nothing of it.",
              tone: "info",
            }
          : {
              kind: "logged-out",
              message:
                "This browser forgot your login, but the server could not be told to revoke it: run `natster logout --all` to be sure.",
              tone: "error",
            },
      );
    })();
  }, []);

  const retry = useCallback(() => {
    const session = loadSession();
    if (session) void connect(session);
    else setView({ kind: "logged-out" });
  }, [connect]);

  return { view, logOut, retry };
}
