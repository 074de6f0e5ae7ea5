/**
 * What a JetStream direct get's answer says about a KV key, read from its raw header block the
 * way nats.js reads it (MsgHdrsImpl.decode: a status after `NATS/1.0`, then `Key: value` lines,
 * keys matched exactly, the first value of a key counts), without building its header map.
 */
export type KvEntryState = "value" | "missing";

const STATUS_LINE = "NATS/1.0";

export function kvEntryState(headerBlock: string): KvEntryState {
  const lines = headerBlock.split("\r\n");
  const status = lines[0] ?? "";
  if (status !== STATUS_LINE) {
    const code = parseInt(status.replace(STATUS_LINE, "").trim(), 10);
    if (!Number.isNaN(code) && code !== 0) return "missing"; // 404, 408, …
  }
  const seen = new Set<string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const key = line.slice(0, colon);
    if (seen.has(key)) continue;
    seen.add(key);
    const value = line.slice(colon + 1).trim();
    if (key === "KV-Operation" && (value === "DEL" || value === "PURGE")) return "missing";
    if (key === "Nats-Marker-Reason" && value === "MaxAge") return "missing";
  }
  return "value";
}
