/**
 * The receiver of the transfer benchmarks in a process of its own, as the CLI's download runs: the
 * friend's connection (BENCH_NATS_URL, BENCH_CREDS), downloadFile with node:crypto and SHA-256 into
 * the hashing null sink, or to disk as the CLI writes (ReceiverRequest.saveTo). One download per
 * line of JSON on stdin, one line of results on stdout.
 */
import { createInterface } from "node:readline";
import { connectWithCreds } from "@natster/node-kit";
import { downloadFile } from "@natster/transfer";
import { chunkCipherEngine, nodeChunkCipher, partialFileSink, threadedSha256 } from "@natster/transfer/node";
import { hashingNullSink } from "../lib/sinks.ts";
import { RECEIVER_READY, type ReceiverRequest, type ReceiverResponse } from "./protocol.ts";

const url = process.env.BENCH_NATS_URL;
const creds = process.env.BENCH_CREDS;
if (!url || !creds) throw new Error("BENCH_NATS_URL and BENCH_CREDS are required");
const nc = await connectWithCreds(url, new TextEncoder().encode(creds), "bench-receiver");
const reply = (response: ReceiverResponse) => process.stdout.write(`${JSON.stringify(response)}\n`);

async function download(request: ReceiverRequest): Promise<ReceiverResponse> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const nullSink = request.saveTo === undefined ? hashingNullSink() : undefined;
  const sink = nullSink ?? (await partialFileSink(request.saveTo as string, { resume: false, sha256: threadedSha256 }));
  const result = await downloadFile({
    nc,
    catalog: request.catalog,
    hash: request.hash,
    sink,
    sha256: threadedSha256,
    chunkCipher: nodeChunkCipher,
    ...(request.cipher !== undefined ? { cipher: request.cipher } : {}),
    ...(request.chunkSize !== undefined ? { chunkSize: request.chunkSize } : {}),
    ...(request.window !== undefined ? { window: request.window } : {}),
    ...(request.length !== undefined ? { length: request.length } : {}),
  });
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    ok: true,
    sinkBytes: nullSink ? nullSink.bytes() : result.bytes,
    resultBytes: result.bytes,
    seconds,
    cpuMs: (used.user + used.system) / 1000,
    cipherEngine: chunkCipherEngine(),
  };
}

process.stdout.write(`${RECEIVER_READY}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  try {
    reply(await download(JSON.parse(line) as ReceiverRequest));
  } catch (error) {
    reply({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
}
await nc.close();
