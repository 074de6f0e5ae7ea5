import { HostServiceFailure } from "./errors.ts";

/** Rejects with a host failure when `work` takes longer than the host's own timeout for the operation. */
export async function withTimeout<T>(work: Promise<T>, ms: number, message: string, code = 500): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HostServiceFailure(code, message)), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
