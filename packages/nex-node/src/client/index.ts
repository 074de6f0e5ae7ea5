export * from "./control-client.ts";
export * from "./deploy-request.ts";
export * from "./deploy.ts";
export * from "./keys.ts";
export * from "./upload.ts";
export { NexControlError } from "../control/envelope.ts";
