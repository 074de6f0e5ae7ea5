import type { NatsConnection } from "@nats-io/nats-core";
import { createAccount, createCurve, type KeyPair } from "@nats-io/nkeys";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  deployWorkload,
  uploadArtifact,
  type DeployWorkloadOptions,
  type CloudEvent,
  startNexNode,
  type NexNode,
  type StartNexNodeOptions,
} from "nex-node";
import type { TestStack } from "../support/test-stack.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

export const NS = "default";
export const fixture = (name: string) => join(import.meta.dirname, "../fixtures/nex", name);
export const globalCredsPath = (stack: TestStack) => join(stack.dir, "creds", "global.creds");

/** Messages on a subject, recorded from now on, with a way to await the next one that matches. */
export type Recorder<T> = { seen: T[]; next(match?: (v: T) => boolean, timeoutMs?: number): Promise<T> };

export function record<T>(
  nc: NatsConnection,
  subject: string,
  parse: (data: Uint8Array, subject: string) => T,
): Recorder<T> {
  const seen: T[] = [];
  const waiters: { match: (v: T) => boolean; resolve: (v: T) => void }[] = [];
  nc.subscribe(subject, {
    callback: (_err, msg) => {
      const v = parse(msg.data, msg.subject);
      seen.push(v);
      for (const w of waiters.filter((w) => w.match(v))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(v);
      }
    },
  });
  return {
    seen,
    next(match = () => true, timeoutMs = 10_000) {
      const already = seen.find(match);
      if (already) return Promise.resolve(already);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`nothing matching arrived on ${subject} within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({ match, resolve: (v) => (clearTimeout(timer), resolve(v)) });
      });
    },
  };
}

export const recordEvents = (nc: NatsConnection, type: string, ns = NS) =>
  record<CloudEvent<Record<string, unknown>>>(
    nc,
    `$NEX.events.${ns}.${type}`,
    (d) => JSON.parse(dec.decode(d)) as CloudEvent<Record<string, unknown>>,
  );

export type NexTestNode = {
  nc: NatsConnection;
  node: NexNode;
  issuer: KeyPair;
  publisher: KeyPair;
  /** Uploads `source` to NEXCLIFILES under `name` and deploys it as `name`. */
  deploy(
    name: string,
    source: string | Uint8Array,
    opts: Partial<DeployWorkloadOptions> & Pick<DeployWorkloadOptions, "type">,
  ): ReturnType<typeof deployWorkload>;
  request(subject: string, body?: string | Uint8Array, timeout?: number): Promise<string>;
};

/** A node in NATSTER_GLOBAL on the test stack, as the global user, stopped with the stack. */
export async function startNexOnStack(
  stack: TestStack,
  opts: Partial<Omit<StartNexNodeOptions, "nc">> = {},
): Promise<NexTestNode> {
  const nc = await stack.connect("global", "nex-test");
  const node = await startNexNode({ nc, creds: readFileSync(globalCredsPath(stack)), servers: stack.url, ...opts });
  stack.defer(() => node.stop());
  const issuer = createAccount();
  const publisher = createCurve();
  return {
    nc,
    node,
    issuer,
    publisher,
    async deploy(name, source, o) {
      const bytes = typeof source === "string" ? enc.encode(source) : source;
      const uploaded = await uploadArtifact(nc, name, bytes);
      return deployWorkload(nc, {
        namespace: NS,
        nodeId: node.nodeId,
        issuer,
        publisher,
        name,
        location: uploaded.location,
        hash: uploaded.hash,
        ...o,
      });
    },
    async request(subject, body = "", timeout = 5_000) {
      const reply = await nc.request(subject, typeof body === "string" ? enc.encode(body) : body, { timeout });
      return dec.decode(reply.data);
    },
  };
}
