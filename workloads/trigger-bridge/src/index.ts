export { startTriggerBridge, type TriggerBridge, type TriggerBridgeOptions } from "./bridge.ts";
export {
  BridgeConfigError,
  parseBridgeConfig,
  resolveTriggerSpecs,
  TRIGGER_DEFAULTS,
  type ResolvedTriggerSpec,
} from "./config.ts";
export { DEAD_LETTER_HEADERS } from "./dead-letters.ts";
