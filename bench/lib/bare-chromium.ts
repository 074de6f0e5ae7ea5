import { until } from "@natster/test-kit";
import { spawn } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { onCleanup } from "./cleanup.ts";

/**
 * Chromium driven over a bare DevTools pipe, with no automation framework attached to its pages.
 *
 * Why not Playwright here: Playwright enables the DevTools Network domain on every page it
 * attaches to, and Chromium then copies every websocket frame the page receives, base64-encoded,
 * through the browser process to the driver. nats-server frames what it sends to browsers in 4 KiB
 * websocket messages, so a download pays that per 4 KiB, in three processes: it more than doubled
 * the CPU a download costs, which no user's browser pays. This client enables nothing it does not
 * call: the page runs as it runs for a person, and only the few commands below cross the pipe.
 */
export type CdpEvent = { method: string; params: Record<string, unknown>; sessionId?: string };

type Pending = { resolve(result: unknown): void; reject(error: Error): void; method: string };

export class BareChromium {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: CdpEvent) => void>();
  private closed = false;

  private constructor(
    /** The browser process (its renderers, GPU and utility processes are its descendants). */
    readonly pid: number,
    private readonly toBrowser: Writable,
    fromBrowser: Readable,
    private readonly stopProcess: () => Promise<void>,
  ) {
    let buffered = "";
    fromBrowser.setEncoding("utf8");
    fromBrowser.on("data", (text: string) => {
      buffered += text;
      for (let end = buffered.indexOf("\0"); end >= 0; end = buffered.indexOf("\0")) {
        this.dispatch(buffered.slice(0, end));
        buffered = buffered.slice(end + 1);
      }
    });
  }

  /** Headless Chromium with its own profile; `--remote-debugging-pipe` talks on fds 3 (in) and 4 (out). */
  static launch(opts: { executable: string; userDataDir: string; args: readonly string[] }): BareChromium {
    const child = spawn(
      opts.executable,
      ["--headless", "--remote-debugging-pipe", `--user-data-dir=${opts.userDataDir}`, ...opts.args, "about:blank"],
      {
        stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"],
      },
    );
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const stop = async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    };
    const unregister = onCleanup("bare chromium", stop);
    if (child.pid === undefined) throw new Error(`${opts.executable} did not start`);
    const chromium = new BareChromium(child.pid, child.stdio[3] as Writable, child.stdio[4] as Readable, unregister);
    child.once("exit", () => chromium.failAll(new Error("chromium exited")));
    return chromium;
  }

  send<T = Record<string, unknown>>(
    method: string,
    params: Record<string, unknown> = {},
    sessionId?: string,
  ): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`chromium is closed (${method})`));
    const id = this.nextId++;
    const message = JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) });
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: (result) => resolve(result as T), reject, method });
      this.toBrowser.write(`${message}\0`);
    });
  }

  /** Calls `listener` for every event; returns how to stop listening. */
  onEvent(listener: (event: CdpEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A new tab, attached (flat session) and ready for commands. */
  async newPage(): Promise<BarePage> {
    const { targetId } = await this.send<{ targetId: string }>("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await this.send<{ sessionId: string }>("Target.attachToTarget", { targetId, flatten: true });
    return new BarePage(this, sessionId);
  }

  async close(): Promise<void> {
    if (!this.closed) await this.send("Browser.close").catch(() => undefined);
    this.closed = true;
    await this.stopProcess();
  }

  private dispatch(text: string): void {
    const message = JSON.parse(text) as {
      id?: number;
      result?: unknown;
      error?: { message: string };
      method?: string;
      params?: Record<string, unknown>;
      sessionId?: string;
    };
    if (message.id !== undefined) {
      const pending = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) pending?.reject(new Error(`${pending.method}: ${message.error.message}`));
      else pending?.resolve(message.result);
      return;
    }
    if (message.method) {
      const event: CdpEvent = {
        method: message.method,
        params: message.params ?? {},
        ...(message.sessionId ? { sessionId: message.sessionId } : {}),
      };
      for (const listener of this.listeners) listener(event);
    }
  }

  private failAll(error: Error): void {
    this.closed = true;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

/** One tab: JavaScript evaluation, real mouse clicks (user activation, as a person's click) and heap figures. */
export class BarePage {
  constructor(
    private readonly chromium: BareChromium,
    readonly sessionId: string,
  ) {}

  send<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    return this.chromium.send<T>(method, params, this.sessionId);
  }

  async goto(url: string): Promise<void> {
    const { errorText } = await this.send<{ errorText?: string }>("Page.navigate", { url });
    if (errorText) throw new Error(`navigating to ${url}: ${errorText}`);
  }

  /** The value of a JavaScript expression (awaited if it is a promise). */
  async evaluate<T>(expression: string): Promise<T> {
    const { result, exceptionDetails } = await this.send<{
      result: { value?: T };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    }>("Runtime.evaluate", {
      expression,
      awaitPromise: true,
      returnByValue: true,
    });
    if (exceptionDetails)
      throw new Error(`page error: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    return result.value as T;
  }

  /** Polls `expression` until it is truthy; throws `what` after `timeoutMs`. */
  async waitFor(expression: string, what: string, timeoutMs = 30_000): Promise<void> {
    await until(() => this.evaluate<boolean>(`Boolean(${expression})`), what, timeoutMs, 100);
  }

  /** A real left click in the middle of the element `elementExpression` finds (after scrolling it into view). */
  async click(elementExpression: string, what: string): Promise<void> {
    await this.waitFor(elementExpression, what);
    const point = await this.evaluate<{ x: number; y: number }>(
      `(() => { const e = ${elementExpression}; e.scrollIntoView({ block: "center" }); const r = e.getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2 }; })()`,
    );
    const mouse = { x: point.x, y: point.y, button: "left", clickCount: 1 };
    await this.send("Input.dispatchMouseEvent", { type: "mouseMoved", x: point.x, y: point.y });
    await this.send("Input.dispatchMouseEvent", { type: "mousePressed", ...mouse });
    await this.send("Input.dispatchMouseEvent", { type: "mouseReleased", ...mouse });
  }

  /** V8's used JS heap and the ArrayBuffer backing stores, in bytes (what DevTools shows). */
  async heap(): Promise<{ js: number; buffers: number }> {
    const h = await this.send<{ usedSize: number; backingStorageSize?: number }>("Runtime.getHeapUsage");
    return { js: h.usedSize, buffers: h.backingStorageSize ?? 0 };
  }

  collectGarbage(): Promise<unknown> {
    return this.send("HeapProfiler.collectGarbage");
  }
}
