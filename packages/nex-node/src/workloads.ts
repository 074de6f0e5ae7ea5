import type { WorkloadType } from "./control/types.ts";

export type RunningWorkload = {
  id: string;
  name: string;
  namespace: string;
  type: WorkloadType;
  hash: string;
  issuer: string;
  /** The deploy JWT's id, so a replayed deploy JWT cannot double as a stop JWT. */
  jwtId: string;
  description?: string;
  essential: boolean;
  bytes: number;
  startedAt: Date;
  stop(): Promise<void>;
};

/** The workloads a node runs, by id. */
export class WorkloadRegistry {
  readonly #byId = new Map<string, RunningWorkload>();

  add(w: RunningWorkload): void {
    this.#byId.set(w.id, w);
  }

  get(id: string): RunningWorkload | undefined {
    return this.#byId.get(id);
  }

  remove(id: string): RunningWorkload | undefined {
    const w = this.#byId.get(id);
    this.#byId.delete(id);
    return w;
  }

  all(namespace?: string): RunningWorkload[] {
    const all = [...this.#byId.values()];
    return namespace === undefined ? all : all.filter((w) => w.namespace === namespace);
  }

  get count(): number {
    return this.#byId.size;
  }

  get totalBytes(): number {
    return this.all().reduce((sum, w) => sum + w.bytes, 0);
  }
}
