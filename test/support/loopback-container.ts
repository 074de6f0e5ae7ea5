import { GenericContainer } from "testcontainers";

/** testcontainers publishes on 0.0.0.0 by default; our servers bind to loopback only. */
export class LoopbackContainer extends GenericContainer {
  override withExposedPorts(...ports: Parameters<GenericContainer["withExposedPorts"]>): this {
    super.withExposedPorts(...ports);
    const bindings = (this.hostConfig.PortBindings ?? {}) as Record<string, { HostIp?: string }[]>;
    for (const list of Object.values(bindings)) for (const binding of list) binding.HostIp = "127.0.0.1";
    return this;
  }
}
