/**
 * The bare-NATS ceiling for transfer.plain_vs_raw_nats: what v2 does on the wire minus v2 itself.
 * The same subjects and account import as v2 (natster.catalog.<cat>.download / .credit.<id>, media
 * on <REQ>.natster.media.<cat>.<id>), the same message size and the same window of outstanding
 * messages, granted every half window; no key exchange, no headers, no crypto, no checks, no hash.
 */
export type RawStart = { transfer_id: string; chunk_size: number; window: number; length: number };
export type RawCredit = { received: number };

const enc = new TextEncoder();
const dec = new TextDecoder();
export const encode = (value: unknown): Uint8Array => enc.encode(JSON.stringify(value));
export const decode = <T>(data: Uint8Array): T => JSON.parse(dec.decode(data)) as T;
