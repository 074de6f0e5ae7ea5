/** A person by the name they chose; their account key on hover (names are labels, keys decide access). */
export function PersonName({ label, accountKey }: { label: string; accountKey: string }) {
  return (
    <span class="person" title={accountKey}>
      {label}
    </span>
  );
}
