/** Lets one async loop sleep until something changes: `wait(ms)` settles on `notify()` or after `ms`. */
export class Wakeup {
  private wake: (() => void) | undefined;

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.wake = done;
    });
  }

  notify(): void {
    this.wake?.();
  }
}
