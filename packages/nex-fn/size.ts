import { shimBundleSize } from "./tools/size.ts";

const TARGET = 2048;
const bytes = await shimBundleSize();
console.log(`nex-fn public API, minified iife: ${bytes} bytes (target < ${TARGET})`);
