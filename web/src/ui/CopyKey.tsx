type Props = { accountKey: string; who: string; onCopied: (done: boolean) => void };

/** A person's account key, one click away: copied, or shown selected when the clipboard is refused. */
export function CopyKey({ accountKey, who, onCopied }: Props) {
  const copy = () => {
    if (!navigator.clipboard) return fallback();
    navigator.clipboard.writeText(accountKey).then(() => onCopied(true), fallback);
  };
  const fallback = () => {
    window.prompt(`${who}'s account key`, accountKey);
    onCopied(false);
  };
  return (
    <button
      type="button"
      class="small link-button"
      title={accountKey}
      onClick={copy}
      aria-label={`Copy ${who}'s account key`}
    >
      Copy key
    </button>
  );
}
