/** Seeded fuzzing helpers: replay a failing run with NATSTER_FUZZ_SEED=<seed> (`fuzzSeed`, `prng` from @natster/test-kit). */

export type FuzzCase = { label: string; body: Uint8Array };
const enc = new TextEncoder();
export const jsonCase = (label: string, value: unknown): FuzzCase => ({
  label,
  body: enc.encode(JSON.stringify(value)),
});
export const rawCase = (label: string, text: string): FuzzCase => ({ label, body: enc.encode(text) });

/** Valid JSON that is not the object a request must be (a `__proto__` key included). */
export const ODD_JSON_VALUES: readonly unknown[] = [
  true,
  0,
  -1,
  1e308,
  "a string",
  [],
  [1, 2],
  JSON.parse('{"__proto__":{"polluted":1}}') as unknown,
];

/** Malformed bodies any JSON endpoint must refuse: random bytes, cut JSON, wrong shapes, deep nesting, a big blob. */
export function malformedBodies(random: () => number, valid: unknown): FuzzCase[] {
  const cases: FuzzCase[] = [];
  for (let i = 0; i < 5; i++) {
    const bytes = new Uint8Array(1 + Math.floor(random() * 600)).map(() => Math.floor(random() * 256));
    bytes[0] = 0xfe; // never valid JSON
    cases.push({ label: `random bytes #${i} (${bytes.length} B)`, body: bytes });
  }
  const text = JSON.stringify(valid);
  for (let i = 0; i < 3; i++)
    cases.push(rawCase(`cut JSON #${i}`, text.slice(0, 1 + Math.floor(random() * (text.length - 2)))));
  cases.push(rawCase("deep array nesting", "[".repeat(8000) + "]".repeat(8000)));
  cases.push(rawCase("deep object nesting", '{"a":'.repeat(2500) + "1" + "}".repeat(2500)));
  cases.push(rawCase("big junk (512 KiB)", "z".repeat(512 * 1024)));
  for (const value of ODD_JSON_VALUES) cases.push(jsonCase(`JSON ${JSON.stringify(value)}`, value));
  return cases;
}

/** Runs `work` over `items` with at most `parallel` in flight. */
export type Reply = { code?: unknown; data?: unknown; error?: unknown; error_code?: unknown };

/** A refusal as the contract wants it: a 4xx envelope with a stable code and a message. */
export const is4xxEnvelope = (r: Reply): boolean =>
  typeof r.code === "number" &&
  r.code >= 400 &&
  r.code < 500 &&
  r.data === null &&
  typeof r.error === "string" &&
  typeof r.error_code === "string";
