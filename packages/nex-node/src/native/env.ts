/** The NATS identity a workload acts as: the node's own user unless the deploy request names another. */
export type WorkloadIdentity = { servers: string; jwt?: string; seed?: string };

/**
 * A native workload's whole environment: the deploy request's variables with upper-cased keys
 * (0.x agent/providers/lib/native.go), plus the v1 `NEX_WORKLOAD_NATS_*` connection variables.
 * Nothing is inherited from the node's own environment, not even PATH.
 */
export function nativeEnvironment(
  requestEnv: Record<string, string>,
  identity: WorkloadIdentity,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(requestEnv)) env[key.toUpperCase()] = value;
  env.NEX_WORKLOAD_NATS_SERVERS = identity.servers;
  env.NEX_WORKLOAD_NATS_NKEY = identity.seed ?? "";
  env.NEX_WORKLOAD_NATS_B64_JWT = identity.jwt ? Buffer.from(identity.jwt, "utf8").toString("base64") : "";
  return env;
}

/**
 * What to exec for an artifact. Artifacts are executed directly, so a script needs a shebang with
 * an absolute interpreter (`#!/usr/bin/node`; there is no PATH for `env`). For local development,
 * a `file://` artifact named *.js, *.mjs or *.cjs runs with this node's own Node.js binary instead.
 */
export function nativeCommand(
  artifactPath: string,
  argv: string[],
  fromFile: boolean,
  nodeBinary: string,
): { command: string; args: string[] } {
  if (fromFile && /\.(c|m)?js$/.test(artifactPath)) return { command: nodeBinary, args: [artifactPath, ...argv] };
  return { command: artifactPath, args: argv };
}

/**
 * Go's exec runs only binaries and `#!` scripts ("exec format error" otherwise), while Node's
 * spawn would quietly hand anything else to /bin/sh. Refusing here keeps "no shell" true.
 */
export function checkExecutable(bytes: Uint8Array): void {
  const elf = bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
  const script = bytes[0] === 0x23 && bytes[1] === 0x21;
  if (!elf && !script)
    throw new Error("exec format error: a native artifact must be an ELF binary or start with #!/absolute/interpreter");
}
