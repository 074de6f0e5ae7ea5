// The config lives on the Node side (infra/web), where it is type-checked and linted, and where
// `buildWeb()` uses the same one.
export { default } from "../infra/web/vite-config.ts";
