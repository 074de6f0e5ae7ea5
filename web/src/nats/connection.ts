import {
  AuthorizationError,
  credsAuthenticator,
  UserAuthenticationExpiredError,
  wsconnect,
  type NatsConnection,
} from "@nats-io/nats-core";

const enc = new TextEncoder();

export type ConnectionStatus = "connected" | "reconnecting";

/** Connects over websocket, to any of the stack's servers, with a creds file; `reconnect: false` for one-shot connections. */
export function connectWithCreds(
  wsUrls: string | string[],
  creds: string,
  name: string,
  reconnect = true,
): Promise<NatsConnection> {
  return wsconnect({
    servers: wsUrls,
    authenticator: credsAuthenticator(enc.encode(creds)),
    name,
    reconnect,
    maxReconnectAttempts: reconnect ? -1 : 0,
    ignoreClusterUpdates: true,
  });
}

/** An authorization failure means this login is over (expired or revoked), not a network blip. */
export const isLoginRejected = (error: unknown): boolean =>
  error instanceof UserAuthenticationExpiredError ||
  error instanceof AuthorizationError ||
  (error instanceof Error &&
    /authorization violation|authentication expired|user authentication revoked/i.test(error.message));

export type ConnectionWatch = {
  onStatus(status: ConnectionStatus): void;
  /** The server refused this login; the caller logs out. */
  onLoginRejected(): void;
  /** Closed for any other reason (a close the app did itself included). */
  onClosed(error: Error | undefined): void;
};

/** Follows a connection: reconnects, auth errors and the final close. Stops when it closes. */
export function watchConnection(nc: NatsConnection, watch: ConnectionWatch): void {
  let rejected = false;
  const reject = () => {
    if (rejected) return;
    rejected = true;
    watch.onLoginRejected();
    void nc.close().catch(() => undefined);
  };
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === "disconnect" || status.type === "reconnecting") watch.onStatus("reconnecting");
      else if (status.type === "reconnect") watch.onStatus("connected");
      else if (status.type === "error" && isLoginRejected(status.error)) reject();
    }
  })().catch(() => undefined);
  void nc.closed().then((error) => {
    if (error && isLoginRejected(error)) reject();
    else if (!rejected) watch.onClosed(error ?? undefined);
  });
}
