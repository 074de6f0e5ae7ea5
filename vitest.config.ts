import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    reporters: ["default", "./test/support/summary-reporter.ts"],
    projects: [
      {
        test: {
          name: "unit",
          include: ["**/*.unit.spec.ts"],
          exclude: ["**/node_modules/**", "web/**"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["**/*.int.spec.ts"],
          exclude: ["**/node_modules/**", "web/**"],
          globalSetup: ["./test/support/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: "forks",
          fileParallelism: false,
        },
      },
      {
        // Needs real Nex (.tools/bin/nex, nex-agent): scripts/test.sh runs it when scripts/setup.sh could build them.
        test: {
          name: "real-nex",
          include: ["test/real-nex/**/*.real.spec.ts"],
          exclude: ["**/node_modules/**"],
          globalSetup: ["./test/support/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 600_000,
          pool: "forks",
          fileParallelism: false,
        },
      },
      {
        oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
        test: {
          name: "web",
          include: ["web/**/*.unit.spec.ts"],
          exclude: ["**/node_modules/**", "web/dist/**"],
          environment: "node",
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.e2e.spec.ts"],
          exclude: ["**/node_modules/**"],
          globalSetup: ["./test/support/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: "forks",
          fileParallelism: false,
        },
      },
    ],
  },
});
