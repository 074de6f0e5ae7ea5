import type { KeyPair } from "@nats-io/nkeys";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** base64(xkey seal(JSON env)) from the sender to the node's public xkey, as `EncryptRequestEnvironment`. */
export function sealEnvironment(sender: KeyPair, recipientXkey: string, env: Record<string, string>): string {
  return Buffer.from(sender.seal(enc.encode(JSON.stringify(env)), recipientXkey)).toString("base64");
}

/** Opens a sealed environment with the node's xkey; throws a readable error when it cannot. */
export function openEnvironment(
  node: KeyPair,
  senderXkey: string | undefined,
  sealed: string | undefined,
): Record<string, string> {
  if (!sealed) return {};
  if (!senderXkey) throw new Error("sender_public_key is required to decrypt the environment");
  let opened: Uint8Array | null;
  try {
    opened = node.open(Buffer.from(sealed, "base64"), senderXkey);
  } catch (e) {
    throw new Error(`failed to decrypt environment: ${(e as Error).message}`);
  }
  if (!opened) throw new Error("failed to decrypt environment: not sealed for this node");
  const env: unknown = JSON.parse(dec.decode(opened));
  if (typeof env !== "object" || env === null || Array.isArray(env))
    throw new Error("decrypted environment is not a map");
  return Object.fromEntries(Object.entries(env as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}
