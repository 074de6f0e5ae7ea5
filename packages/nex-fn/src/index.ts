export type {
  Host,
  Http,
  HttpResponse,
  KvBucket,
  LegacyHostServices,
  Messaging,
  NexGlobals,
  ObjectBucket,
  ObjectInfo,
} from "./types.ts";
export { host } from "./host.ts";
export { asciiJsonBytes, asciiText, json, latin1, text, utf8 } from "./codecs.ts";
export { HostError, isNotFound, parseHostError } from "./errors.ts";
export { defineFunction } from "./define.ts";
export type { Handler, Json, NexHandler } from "./define.ts";
export { kvJson, objJson, publishJson, requestJson } from "./json-store.ts";
export type { KvJson, ObjJson } from "./json-store.ts";
