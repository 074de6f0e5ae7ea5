import type { NatsConnection } from "@nats-io/nats-core";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { serveCatalog, type CatalogServer, type ServedFile } from "@natster/transfer/testing";
import type { SenderConnection, SenderOptions } from "@natster/transfer";
import { fileSource } from "@natster/transfer/node";
import { type TestUser, ownerAndFriend, withAuthority } from "./authority.ts";
import { startTestStack, type TestStack } from "./test-stack.ts";

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");
export const withCode = (code: string) => expect.objectContaining({ code }) as Error;

export type ServedTestFile = ServedFile & { path: string; content: Uint8Array };
export type RunningServer = CatalogServer & { nc: NatsConnection };
export type ServerSetup = {
  files?: ReadonlyMap<string, ServedFile>;
  link?: (nc: NatsConnection) => SenderConnection;
  authorize?: (requester: string | undefined) => boolean;
};

/**
 * Two real accounts on a test stack for the transfer protocol v2 specs: the owner serves catalog
 * "movies" (and "silent") to the friend, from an empty, a small and a multi-MiB file on disk.
 */
export type TransferFixture = {
  owner: TestUser;
  friend: TestUser;
  friendConn: NatsConnection;
  /** The owner's catalog server for "movies" on a connection of its own, stopped by `stopServers`. */
  startServer: (sender?: SenderOptions, setup?: ServerSetup) => Promise<RunningServer>;
  stopServers: () => Promise<void>;
  fileNamed: (name: string) => ServedTestFile;
  files: ReadonlyMap<string, ServedTestFile>;
  /** A fresh output path in the fixture's temp dir. */
  outPath: (name: string) => string;
  stop: () => Promise<void>;
};

/** `file` as its source would serve it had the byte at `at` changed on disk after it was hashed. */
export function changedAt(file: ServedTestFile, at: number): ServedFile {
  return {
    ...file,
    open: async () => {
      const source = await fileSource(file.path);
      return {
        ...source,
        read: async (offset, length) =>
          (await source.read(offset, length)).map((b, i) => (offset + i === at ? b ^ 0xff : b)),
      };
    },
  };
}

/** One fixture for the suite, its catalog servers stopped after each test: call at the top of a describe. */
export function useTransferFixture(): () => TransferFixture {
  let fixture: TransferFixture | undefined;
  beforeAll(async () => {
    fixture = await startTransferFixture();
  });
  afterEach(() => fixture?.stopServers());
  afterAll(() => fixture?.stop());
  return () => {
    if (!fixture) throw new Error("the transfer fixture did not start");
    return fixture;
  };
}

export async function startTransferFixture(): Promise<TransferFixture> {
  const stack: TestStack = await startTestStack();
  const dir = mkdtempSync(join(tmpdir(), "natster-transfer-"));
  try {
    return await withAccounts(stack, dir);
  } catch (e) {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

async function withAccounts(stack: TestStack, dir: string): Promise<TransferFixture> {
  const { authority } = await withAuthority(stack);
  const { owner, friend } = await ownerAndFriend(stack, authority, ["movies", "silent"]);
  const friendConn = await friend.connect("friend");
  const files = new Map<string, ServedTestFile>();
  for (const [name, size] of [
    ["empty.bin", 0],
    ["small.txt", 1000],
    ["medium.bin", 3 * MiB + 123],
  ] as const) {
    const path = join(dir, name);
    const content = new Uint8Array(randomBytes(size));
    writeFileSync(path, content);
    const hash = sha256(content);
    files.set(hash, { path, content, hash, mime_type: "application/octet-stream", open: () => fileSource(path) });
  }
  const servers: RunningServer[] = [];

  const startServer = async (sender: SenderOptions = {}, setup: ServerSetup = {}) => {
    const nc = await owner.connect("owner-server");
    const server = serveCatalog(nc, "movies", {
      files: setup.files ?? files,
      sender,
      authorize: setup.authorize,
      link: setup.link?.(nc) ?? nc,
    });
    await nc.flush();
    const running = Object.assign(server, { nc });
    servers.push(running);
    return running;
  };
  const stopServers = async () => {
    for (const server of servers.splice(0)) {
      await server.stop();
      await server.nc.close();
    }
  };
  return {
    owner,
    friend,
    friendConn,
    startServer,
    stopServers,
    files,
    fileNamed: (name) => [...files.values()].find((f) => f.path.endsWith(name))!,
    outPath: (name) => join(dir, `${name}-${randomBytes(4).toString("hex")}.out`),
    stop: async () => {
      await stopServers();
      await stack.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
