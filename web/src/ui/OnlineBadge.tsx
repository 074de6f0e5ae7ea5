export function OnlineBadge({ online }: { online: boolean }) {
  return <span class={`badge ${online ? "badge-online" : "badge-offline"}`}>{online ? "online" : "offline"}</span>;
}
