/** Wire shapes of the Nex 0.x control API (ec4c2b4 control-api/*.go), snake_case as on the wire. */

export type WorkloadType = "native" | "v8" | "wasm" | "oci" | (string & {});

export type HostServicesConnection = { nats_url: string; nats_user_jwt: string; nats_user_seed: string };

/** Go marshals `*url.URL` as a struct; clients may also send a plain URL string. */
export type GoUrl = { Scheme?: string; Host?: string; Path?: string; Opaque?: string; RawQuery?: string };

export type DeployRequest = {
  argv?: string[];
  description?: string;
  hash?: string;
  location: string | GoUrl;
  essential?: boolean;
  environment?: string;
  id?: string;
  jsdomain?: string;
  sender_public_key?: string;
  target_node?: string;
  trigger_subjects?: string[];
  /** ec4c2b4 name; 0.2.x used `host_services`. Both are accepted. */
  host_services_config?: HostServicesConnection;
  host_services?: HostServicesConnection;
  workload_name?: string;
  workload_jwt?: string;
  type?: WorkloadType;
};

export type RunResponse = { id: string; issuer: string; name: string; started: boolean };

export type StopRequest = { workload_id: string; workload_jwt: string; target_node?: string; node_id?: string };
export type StopResponse = { id: string; issuer: string; name: string; stopped: boolean };

export type PingResponse = {
  node_id: string;
  nexus?: string;
  version: string;
  uptime: string;
  target_xkey: string;
  tags?: Record<string, string>;
  running_machines: number;
};
export type AuctionResponse = PingResponse;

export type AuctionRequest = {
  arch?: string;
  os?: string;
  sandboxed?: boolean;
  tags?: Record<string, string>;
  workload_types?: string[];
};

export type WorkloadSummary = {
  id: string;
  name: string;
  description?: string;
  essential: boolean;
  hash: string;
  runtime: string;
  uptime: string;
  type: WorkloadType;
};

export type MachineSummary = {
  id: string;
  healthy: boolean;
  uptime: string;
  namespace?: string;
  workload: WorkloadSummary;
};

export type InfoResponse = {
  available_agents: number;
  machines: MachineSummary[];
  memory?: { total: number; free: number; available: number };
  public_xkey: string;
  supported_workload_types?: WorkloadType[];
  tags?: Record<string, string>;
  uptime: string;
  version: string;
};

export type WorkloadPingMachineSummary = { id: string; namespace: string; name: string; type: WorkloadType };
export type WorkloadPingResponse = {
  node_id: string;
  target_xkey: string;
  version: string;
  tags?: Record<string, string>;
  uptime: string;
  running_machines: WorkloadPingMachineSummary[];
};

/** Log lines on `$NEX.logs.<ns>.<node>.<workload>`; `level` is a Go slog level. */
export type EmittedLog = { text: string; level: number; id: string };
