import { useRef } from "preact/hooks";
import type { ConnectionStatus } from "../nats/connection.ts";

type Props = { account: string; status: ConnectionStatus; onLogOut: () => void; onCopied: (copied: boolean) => void };

export function Header({ account, status, onLogOut, onCopied }: Props) {
  const keyText = useRef<HTMLElement>(null);
  // Without clipboard access (permissions, older browsers) the key is selected for Ctrl+C instead.
  const selectKey = () => {
    if (keyText.current) window.getSelection()?.selectAllChildren(keyText.current);
    onCopied(false);
  };
  const copy = () => {
    if (!navigator.clipboard) return selectKey();
    navigator.clipboard.writeText(account).then(() => onCopied(true), selectKey);
  };
  return (
    <header class="topbar">
      <span class="brand">Natster</span>
      <div class="account" role="group" aria-label="Your account">
        <span class="muted">Account</span>
        <code class="account-key" title={account} data-testid="account-key" ref={keyText}>
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
