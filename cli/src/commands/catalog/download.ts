import { downloadFile, parseRate } from "@natster/transfer";
import { nodeChunkCipher, partialFileSink, threadedSha256, type PartialFileSink } from "@natster/transfer/node";
import { NatsterError } from "@natster/protocol";
import type { Command } from "commander";
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { connectAsContext } from "../../context/resolve.ts";
import { emit, type GlobalOptions } from "../../output.ts";
import { humanBytes, progressBar } from "../../progress.ts";
import { fileHash } from "./file-hash.ts";
import { catalogName } from "./local.ts";
import { withMissingFileHint } from "./missing-file-hint.ts";
import { withResumeHint } from "./resume-hint.ts";

export function registerDownloadCommand(catalog: Command, globals: () => GlobalOptions): void {
  catalog
    .command("download <name> <hash> <out>")
    .description("download a file end-to-end encrypted; resumes a partial download and verifies the SHA-256")
    .option("--force", "overwrite <out> if it exists")
    .option("--limit-rate <rate>", "download at most this many bytes per second (e.g. 500K, 2M)")
    .action(async (rawName: string, rawHash: string, out: string, o: { force?: boolean; limitRate?: string }) => {
      const g = globals();
      const name = catalogName(rawName);
      const hash = fileHash(rawHash, name);
      const maxBytesPerSecond = o.limitRate === undefined ? undefined : parseRate(o.limitRate);
      const target = resolve(out);
      if (existsSync(target) && !o.force)
        throw new NatsterError("OUTPUT_EXISTS", `${target} exists; pass --force to overwrite it`);
      const { nc } = await connectAsContext(g, "natster_catalogclient");
      const controller = new AbortController();
      const cancel = () => controller.abort();
      process.once("SIGINT", cancel);
      const bar = progressBar(`Downloading`, !g.json);
      let sink: PartialFileSink | undefined;
      try {
        sink = await partialFileSink(target, { sha256: threadedSha256 });
        const result = await downloadFile({
          nc,
          catalog: name,
          hash,
          sink,
          sha256: threadedSha256,
          chunkCipher: nodeChunkCipher,
          signal: controller.signal,
          ...(maxBytesPerSecond ? { maxBytesPerSecond } : {}),
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
        const explained = withMissingFileHint(error, { catalog: name, hash });
        throw partial ? withResumeHint(explained, { path: partial, bytes: kept }) : explained;
      } finally {
        bar.stop();
        process.off("SIGINT", cancel);
        await nc.close();
      }
    });
}
