import { defineFunction, text } from "nex-fn";
import { echo } from "./core.ts";

export default defineFunction((subject, payload) => echo(subject, text(payload)));
