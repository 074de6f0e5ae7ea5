/** The four accounts every stack has; users get their own accounts through the authority. */
export const BASE_ACCOUNTS = ["SYS", "NATSTER_GLOBAL", "HUB", "NATSTER_PUBLIC"] as const;
export type BaseAccount = (typeof BASE_ACCOUNTS)[number];

/** Service users the stack mints for itself; each is tied to one base account. */
export const STACK_USERS = {
  sys: "SYS",
  global: "NATSTER_GLOBAL",
  hub: "HUB",
  public: "NATSTER_PUBLIC",
  /** In the global account, behind an import with shared client info (see `authorityImport`). */
  authority: "NATSTER_GLOBAL",
} as const satisfies Record<string, BaseAccount>;
export type StackUser = keyof typeof STACK_USERS;

/** Public facts about a stack (no seeds): safe to print, share and commit to a test log. */
export type StackIdentity = {
  version: 1;
  created_at: string;
  operator: { name: string; public_key: string; signing_key: string; jwt: string };
  accounts: Record<BaseAccount, { public_key: string; jwt: string }>;
};
