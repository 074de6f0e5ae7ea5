/** Core-NATS trigger subjects of this function; `<caller>` is token 1. */
export const triggers = ["*.natster.global.my.*"] as const;
