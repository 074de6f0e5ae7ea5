export { startNexNode, type NexNode, type StartNexNodeOptions } from "./node.ts";
export { loadNodeConfigFile, resolveNodeConfig, type NodeConfig, type NodeConfigInput } from "./config.ts";
export { cloudEvent, NEX_EVENT_TYPES, type CloudEvent, type NexEventType } from "./events.ts";
export { nexSubjects } from "./control/subjects.ts";
export type * from "./control/types.ts";
export * from "./client/index.ts";
