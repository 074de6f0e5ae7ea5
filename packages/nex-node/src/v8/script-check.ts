import { Script, createContext } from "node:vm";
import { V8_MAX_BUNDLE_BYTES } from "../limits.ts";

/**
 * Deploy-time checks of a v8 artifact: the 0.x size limit and a classic-script compile (a
 * top-level import/export fails here, as in `CompileUnboundScript`). Top-level code is also run
 * once in an empty context, briefly: a completion value that is plainly not a function is refused
 * now rather than on every call. If that run throws (say it touches a host service at load time),
 * the verdict is left to the first call, which has the host globals.
 */
export function checkV8Script(source: Uint8Array, filename: string): string {
  if (source.byteLength > V8_MAX_BUNDLE_BYTES) {
    throw new Error(`source file (${source.byteLength} bytes) exceeds maximum of ${V8_MAX_BUNDLE_BYTES} bytes`);
  }
  const text = new TextDecoder().decode(source);
  let script: Script;
  try {
    script = new Script(text, { filename });
  } catch (e) {
    throw new Error(`failed to compile source for execution: ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    value = script.runInContext(createContext({}), { timeout: 250 });
  } catch {
    return text;
  }
  if (typeof value !== "function") throw new Error(`the script must evaluate to a function, not ${typeof value}`);
  return text;
}
