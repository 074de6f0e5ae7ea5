import { downloadFile, parseRate } from "@natster/transfer";
import { nodeChunkCipher, partialFileSink, threadedSha256, type PartialFileSink } from "@natster/transfer/node";
import type { NatsConnection } from "@nats-io/nats-core";
import { NatsterError } from "@natster/protocol";
import type { Command } from "commander";
import { existsSync, statSync } from "node:fs";
import { connectAsContext } from "../../context/resolve.ts";
import { emit, type GlobalOptions } from "../../output.ts";
import { humanBytes, progressBar } from "../../progress.ts";
import { fetchCatalog } from "./contents.ts";
import { needsListing, outputPlan, targetPath } from "./download-target.ts";
import { chooseEntry, fileRef } from "./file-ref.ts";
import { catalogName } from "./local.ts";
import { withMissingFileHint } from "./missing-file-hint.ts";
import { withResumeHint } from "./resume-hint.ts";

export function registerDownloadCommand(catalog: Command, globals: () => GlobalOptions): void {
  catalog
    .command("download <name> <file> [out]")
    .description(
      "download a file (its SHA-256, or its path in the catalog) end-to-end encrypted; resumes a partial download and verifies the SHA-256. " +
        "Into a folder, or the current one without <out>, it keeps its name in the catalog",
    )
    .option("--force", "overwrite the output file if it exists")
    .option("--limit-rate <rate>", "download at most this many bytes per second (e.g. 500K, 2M)")
    .action(async (rawName: string, rawFile: string, out: string | undefined, o: DownloadOptions) => {
      const g = globals();
      const name = catalogName(rawName);
      const ref = fileRef(rawFile, name);
      const plan = outputPlan(out, process.cwd(), isDirectory);
      const maxBytesPerSecond = o.limitRate === undefined ? undefined : parseRate(o.limitRate);
      if (plan.kind === "file") refuseExisting(plan.path, o);
      const { nc } = await connectAsContext(g, "natster_catalogclient");
      try {
        const entry = needsListing(ref, plan)
          ? chooseEntry((await fetchCatalog(nc, name)).entries, ref, name)
          : undefined;
        const hash = "hash" in ref ? ref.hash : (entry?.hash ?? "");
        const target = targetPath(plan, entry, name);
        if (plan.kind === "folder") refuseExisting(target, o);
        await downloadTo(nc, g, { catalog: name, hash, target, ...(maxBytesPerSecond ? { maxBytesPerSecond } : {}) });
      } finally {
        await nc.close();
      }
    });
}

type DownloadOptions = { force?: boolean; limitRate?: string };

const isDirectory = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

function refuseExisting(target: string, o: DownloadOptions): void {
  if (existsSync(target) && !o.force)
    throw new NatsterError("OUTPUT_EXISTS", `${target} exists; pass --force to overwrite it`);
}

async function downloadTo(
  nc: NatsConnection,
  g: GlobalOptions,
  asked: { catalog: string; hash: string; target: string; maxBytesPerSecond?: number },
): Promise<void> {
  const { catalog, hash, target } = asked;
  const controller = new AbortController();
  const cancel = () => controller.abort();
  process.once("SIGINT", cancel);
  const bar = progressBar(`Downloading`, !g.json);
  let sink: PartialFileSink | undefined;
  try {
    sink = await partialFileSink(target, { sha256: threadedSha256 });
    const result = await downloadFile({
      nc,
      catalog,
      hash,
      sink,
      sha256: threadedSha256,
      chunkCipher: nodeChunkCipher,
      signal: controller.signal,
      ...(asked.maxBytesPerSecond ? { maxBytesPerSecond: asked.maxBytesPerSecond } : {}),
      onProgress: (p) => bar.update(p.received, p.total),
    });
    bar.stop();
    emit(
      g,
      { file: target, ...result },
      () =>
        `Downloaded ${humanBytes(result.total)} to ${target} (${result.verified === "sha256" ? "SHA-256 verified" : "length verified"}` +
        `${result.offset > 0 ? `, resumed at ${humanBytes(result.offset)}` : ""}, ${humanBytes(result.bytesPerSecond)}/s)`,
    );
  } catch (error) {
    const partial = sink?.partialPath;
    const kept = partial && existsSync(partial) ? statSync(partial).size : 0;
    const explained = withMissingFileHint(error, { catalog, hash });
    throw partial ? withResumeHint(explained, { path: partial, bytes: kept }) : explained;
  } finally {
    bar.stop();
    process.off("SIGINT", cancel);
  }
}
