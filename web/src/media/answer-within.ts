/**
 * One caller's wait for a shared registration: its answer, or false once `timeoutMs` passed. The
 * registration itself goes on, so a slow one still answers the callers after it.
 */
export function answerWithin(registration: Promise<boolean>, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    void registration.then(
      (answer) => {
        clearTimeout(timer);
        resolve(answer);
      },
      () => {
        clearTimeout(timer);
        resolve(false);
      },
    );
  });
}
