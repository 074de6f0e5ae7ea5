import { Kvm } from "@nats-io/kv";
import type { Msg } from "@nats-io/nats-core";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { bundleSource } from "../../functions/bundle.ts";
import { NexControlError } from "nex-node";
import {
  asyncHandler,
  busyFor300ms,
  counter,
  echoFunction,
  hostEscapes,
  hostObjectMarks,
  hostRaw,
  httpCaller,
  kvReadsAfterWrites,
  publishThenRequest,
  refusedPublish,
  rendezvous,
  stringReturn,
  throwsError,
  topLevelKvRead,
} from "../fixtures/nex/scripts.ts";
import { startTestStack } from "../support/test-stack.ts";
import { fixture, record, recordEvents, startNexOnStack } from "./nex-harness.ts";
import { suiteStack } from "../support/suite-stack.ts";

const dec = new TextDecoder();

describe("nex node: the 0.x v8 function contract", () => {
  // A generous host request timeout: the rendezvous test must not depend on scheduling under load.
  const suite = suiteStack(startTestStack, async (stack) => ({
    nex: await startNexOnStack(stack, {
      config: { host_services_config: { services: { messaging: { config: { request_timeout_ms: 4_000 } } } } },
    }),
  }));

  it("given a function returning a string, when requested, then the reply is the JSON string, quotes included", async () => {
    await suite.nex.deploy("stringreturn", stringReturn, { type: "v8", triggerSubjects: ["fn.string"] });
    expect(await suite.nex.request("fn.string", "you")).toBe('"heya you"');
  });

  it("given a wildcard trigger, when a concrete subject is requested, then the function sees the concrete subject", async () => {
    const succeeded = recordEvents(suite.nex.nc, "function_exec_succeeded");
    const { id } = await suite.nex.deploy("echofunctionjs", echoFunction, {
      type: "v8",
      triggerSubjects: ["fn.echo.>"],
    });
    expect(JSON.parse(await suite.nex.request("fn.echo.a.b", "hello"))).toEqual({
      triggered_on: "fn.echo.a.b",
      payload: "hello",
    });
    const event = await succeeded.next((e) => e.data.workload_id === id);
    expect(event.data).toMatchObject({
      workload_name: "echofunctionjs",
      namespace: "default",
      trigger_subject: "fn.echo.>",
    });
    expect(event.data.elapsed_nanos).toBeGreaterThan(0);
    expect(event).toMatchObject({ specversion: "1.0", source: suite.nex.node.nodeId, type: "function_exec_succeeded" });
  });

  it("given a function that throws, when requested, then no reply comes and function_exec_failed is published", async () => {
    const failed = recordEvents(suite.nex.nc, "function_exec_failed");
    const { id } = await suite.nex.deploy("throws", throwsError, { type: "v8", triggerSubjects: ["fn.throws"] });
    await expect(suite.nex.request("fn.throws", "", 1_000)).rejects.toThrow(/timeout/i);
    const event = await failed.next((e) => e.data.workload_id === id);
    expect(event.data).toMatchObject({ trigger_subject: "fn.throws", error: "Error: boom on fn.throws" });
  });

  it("given an async handler, when requested, then the returned Promise is rejected: no reply and a clear failure", async () => {
    const failed = recordEvents(suite.nex.nc, "function_exec_failed");
    const { id } = await suite.nex.deploy("asynchandler", asyncHandler, { type: "v8", triggerSubjects: ["fn.async"] });
    await expect(suite.nex.request("fn.async", "", 1_000)).rejects.toThrow(/timeout/i);
    expect(String((await failed.next((e) => e.data.workload_id === id)).data.error)).toMatch(/returned a Promise/);
  });

  it("given a bundle over 12,288 bytes, when deployed, then the node refuses it", async () => {
    const oversized = `(s, p) => "${"x".repeat(12_288)}";`;
    await expect(suite.nex.deploy("oversized", oversized, { type: "v8", triggerSubjects: ["fn.big"] })).rejects.toThrow(
      /exceeds maximum of 12288 bytes/,
    );
    await expect(
      suite.nex.deploy("oversized", oversized, { type: "v8", triggerSubjects: ["fn.big"] }),
    ).rejects.toBeInstanceOf(NexControlError);
  });

  it("given module-level and global state, when called twice, then nothing persists between calls", async () => {
    await suite.nex.deploy("counter", counter, { type: "v8", triggerSubjects: ["fn.counter"] });
    const first = JSON.parse(await suite.nex.request("fn.counter")) as Record<string, number>;
    const second = JSON.parse(await suite.nex.request("fn.counter")) as Record<string, number>;
    expect(first).toEqual({ loads: 1, calls: 1, seen: 1 });
    expect(second).toEqual({ loads: 1, calls: 1, seen: 1 });
  });

  it("given a function that marks the host globals, when called again, then the next call finds no mark", async () => {
    await suite.nex.deploy("hostmarks", hostObjectMarks, { type: "v8", triggerSubjects: ["fn.hostmarks"] });
    for (let i = 0; i < 3; i++) expect(await suite.nex.request("fn.hostmarks")).toBe("[0,0,0,0,0,0]");
  });

  it("given a function that climbs from host objects to a Function constructor, when it runs, then it finds no worker and leaves nothing for the next call", async () => {
    await suite.nex.deploy("hostescapes", hostEscapes, { type: "v8", triggerSubjects: ["fn.hostescapes"] });
    // Host objects come from the host realm, whose Function constructors throw; the call's own
    // global makes functions in the call's context, which has no process either.
    const host = "threw";
    const sealed = {
      global: "undefined",
      kv: host,
      bucket: host,
      get: host,
      value: host,
      keys: host,
      payload: host,
      messaging: host,
      publish: host,
      http: host,
      hostRealmLeak: "undefined",
    };
    for (let i = 0; i < 2; i++) expect(JSON.parse(await suite.nex.request("fn.hostescapes", "x"))).toEqual(sealed);
  });

  it("given a top level that reads KV, when the value changes between calls, then each call sees the value at its own time", async () => {
    await suite.nex.deploy("toplevelkv", topLevelKvRead, { type: "v8", triggerSubjects: ["fn.toplevel"] });
    const kv = await new Kvm(suite.nex.nc).create("toplevel");
    expect(await suite.nex.request("fn.toplevel")).toBe('"missing"');
    await kv.put("k", "first");
    expect(await suite.nex.request("fn.toplevel")).toBe('"first"');
    await kv.put("k", "second");
    expect(await suite.nex.request("fn.toplevel")).toBe('"second"');
  });

  it("given the raw host globals, when they are used, then KV, objects and messaging behave like the 0.x host", async () => {
    const published = record(suite.nex.nc, "nexraw.published", (d) => Array.from(d));
    suite.nex.nc.subscribe("nexraw.echo", {
      callback: (_e, m) => void m.respond(new TextEncoder().encode(`pong:${dec.decode(m.data)}`)),
    });
    await suite.nex.deploy("hostraw", hostRaw, { type: "v8", triggerSubjects: ["fn.hostraw"] });
    const out = JSON.parse(await suite.nex.request("fn.hostraw")) as Record<string, unknown>;
    expect(out).toMatchObject({
      // 0xe9 went through String.fromCharCode and UTF-8, exactly as on the real host.
      got: [0x68, 0xc3, 0xa9],
      instanceOfUint8Array: false,
      isView: true,
      info: { name: "blob", bucket: "NEXRAWOBJ", size: 3 },
      listed: ["blob"],
      keys: ["raw"],
      reply: "pong:ping",
      legacy: "undefined",
      missing: "string:Error: failed to get value for key (500)",
      missingObject: "string:Error: failed to get object (500)",
      notBytes: "string:failed to marshal v8 value to []byte: text; only Uint8[] is supported",
      noBucket: "string:bucket name is required",
      requestMany: "string:this function isn't currently supported",
      noResponders: "string:Error: failed to send request (500)",
    });
    expect(String(out.http)).toMatch(/^string:Error: .*loopback.*\(403\)$/);
    expect(await published.next()).toEqual([0xc3, 0xbf]);
    const stored = await (await new Kvm(suite.nex.nc).open("NEXRAW")).get("raw");
    expect(Array.from(stored?.value ?? [])).toEqual([0x68, 0xc3, 0xa9]);
  });

  it("given kv writes and a delete in one call, when the function reads them back, then each read sees the write before it and refused keys fail as kv.get does", async () => {
    await suite.nex.deploy("kvreads", kvReadsAfterWrites, { type: "v8", triggerSubjects: ["fn.kvreads"] });
    const out = JSON.parse(await suite.nex.request("fn.kvreads")) as Record<string, unknown>;
    const failed = "string:Error: failed to get value for key (500)";
    expect(out).toEqual({
      first: "ok:1",
      second: "ok:2",
      deleted: failed,
      dotted: "ok:4",
      wildcard: failed,
      spaced: failed,
      leadingDot: failed,
    });
  });

  it("given a function built with the nex-fn shim, when it writes non-ASCII text, then the text survives every host service", async () => {
    const source = await bundleSource(fixture("shim-fn/index.ts"), "shimfn");
    const published = record(suite.nex.nc, "nexshim.published", (d) => JSON.parse(dec.decode(d)) as { note: string });
    suite.nex.nc.subscribe("nexshim.echo", {
      callback: (_e, m) =>
        void m.respond(
          new TextEncoder().encode(
            JSON.stringify({ echoed: (JSON.parse(dec.decode(m.data)) as { note: string }).note }),
          ),
        ),
    });
    await suite.nex.deploy("shimfn", source, { type: "v8", triggerSubjects: ["fn.shim"] });
    const note = "héllo wörld ✓ 🎉";
    const out = JSON.parse(await suite.nex.request("fn.shim", note)) as Record<string, unknown>;
    expect(out).toEqual({ kv: note, missing: true, obj: note, answer: note, keys: ["note"] });
    expect((await published.next()).note).toBe(note);
    const raw = await (await new Kvm(suite.nex.nc).open("NEXSHIM")).get("note");
    expect(Array.from(raw?.value ?? []).every((b) => b < 0x80)).toBe(true);
    expect((raw?.json() as { note: string }).note).toBe(note);
  });

  it("given a loopback HTTP server, when the function calls it, then the 0.x response shape comes back and POST drops the query", async () => {
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        res.setHeader("X-Seen", `${req.method} ${req.url}`);
        res.end(req.method === "HEAD" ? undefined : `${req.method} ${req.url} ${body}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    suite.stack.defer(() => new Promise((resolve) => server.close(resolve).closeAllConnections()));
    await suite.nex.deploy("httpcaller", httpCaller, { type: "v8", triggerSubjects: ["fn.http"] });
    const out = JSON.parse(
      await suite.nex.request("fn.http", `http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ) as Record<string, unknown>;
    expect(out).toMatchObject({
      got: { status: 200, response: "GET /get?q=1 ", headers: { "X-Seen": "GET /get?q=1" } },
      posted: { status: 200, response: "POST /post hi" },
      headStatus: 200,
      headResponse: null,
    });
  });

  it("given publishes not waited for, when the function then makes a request, then every publish reached NATS before it, in order", async () => {
    const seen: number[] = [];
    suite.nex.nc.subscribe("nexpub.each", { callback: (_e, m) => void seen.push(m.data[0] ?? -1) });
    suite.nex.nc.subscribe("nexpub.count", {
      callback: (_e, m) => void m.respond(new TextEncoder().encode(String(seen.length))),
    });
    await suite.nex.nc.flush();
    await suite.nex.deploy("publishes", publishThenRequest, { type: "v8", triggerSubjects: ["fn.publishes"] });
    expect(await suite.nex.request("fn.publishes")).toBe('"500"');
    expect(seen).toEqual(Array.from({ length: 500 }, (_, i) => 48 + (i % 10)));
  });

  it("given a publish the host refuses, when the function asks the host again, then that call throws the publish's error once", async () => {
    await suite.nex.deploy("refusedpublish", refusedPublish, { type: "v8", triggerSubjects: ["fn.refusedpublish"] });
    expect(JSON.parse(await suite.nex.request("fn.refusedpublish", "more"))).toEqual([
      "string:Error: failed to publish message (500)",
      "ok",
    ]);
  });

  it("given a publish the host refuses, when the function returns without another host call, then the call fails: no reply", async () => {
    const failed = recordEvents(suite.nex.nc, "function_exec_failed");
    const { id } = await suite.nex.deploy("refusedlast", refusedPublish, {
      type: "v8",
      triggerSubjects: ["fn.refusedlast"],
    });
    await expect(suite.nex.request("fn.refusedlast", "end", 1_000)).rejects.toThrow(/timeout/i);
    expect((await failed.next((e) => e.data.workload_id === id)).data.error).toBe(
      "Error: failed to publish message (500)",
    );
  });

  it("given one trigger subject, when requested twice at once, then the calls run one after the other", async () => {
    await suite.nex.deploy("busy", busyFor300ms, { type: "v8", triggerSubjects: ["busy.a"] });
    const [a1 = 0, a2 = 0] = (await Promise.all([suite.nex.request("busy.a"), suite.nex.request("busy.a")])).map(
      Number,
    );
    expect(Math.abs(a2 - a1)).toBeGreaterThanOrEqual(300);
  });

  it("given two trigger subjects, when both are requested, then their calls run at the same time", async () => {
    // Each call blocks in a host request that is answered only once both callers are waiting:
    // calls run one at a time across subjects would never meet.
    const waiting: Msg[] = [];
    suite.nex.nc.subscribe("nexmeet.rendezvous", {
      callback: (_e, m) => {
        waiting.push(m);
        if (waiting.length === 2)
          for (const w of waiting) w.respond(new TextEncoder().encode(`met ${dec.decode(w.data)}`));
      },
    });
    await suite.nex.deploy("meet", rendezvous, { type: "v8", triggerSubjects: ["meet.a", "meet.b"] });
    expect(await Promise.all([suite.nex.request("meet.a", "a"), suite.nex.request("meet.b", "b")])).toEqual([
      '"met a"',
      '"met b"',
    ]);
  });
});
