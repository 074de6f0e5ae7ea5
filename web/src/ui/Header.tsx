import type { ConnectionStatus } from "../nats/connection.ts";

type Props = { account: string; status: ConnectionStatus; onLogOut(): void; onCopied(): void };

export function Header({ account, status, onLogOut, onCopied }: Props) {
  const copy = () => {
    void navigator.clipboard
      ?.writeText(account)
      .then(onCopied)
      .catch(() => undefined);
  };
  return (
    <header class="topbar">
      <span class="brand">Natster</span>
      <div class="account" role="group" aria-label="Your account">
        <span class="muted">Account</span>
        <code class="account-key" title={account} data-testid="account-key">
          {account}
        </code>
        <button type="button" class="small" aria-label="Copy account key" onClick={copy}>
          Copy
        </button>
      </div>
      {status === "reconnecting" && (
        <span class="badge badge-warn" role="status">
          Reconnecting…
        </span>
      )}
      <button type="button" onClick={onLogOut}>
        Log out
      </button>
    </header>
  );
}
