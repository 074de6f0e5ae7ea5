import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/dist/**",
      // The web app is linted for its sources only (web/src, typed by web/tsconfig.json), not its build files.
      "web/*",
      "!web/src/",
      "bench/results/**",
      "*.config.js",
      ".scratch/**",
      ".tools/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-floating-promises": "error",
    },
  },
  {
    // The web app's own tsconfig (DOM, Preact JSX, bundler resolution) types web/src, not the root one.
    files: ["web/src/**/*.{ts,tsx}"],
    languageOptions: {
      parserOptions: { projectService: false, project: ["./web/tsconfig.json"], tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    // Functions run inside Nex's V8: no Node, no nats.js.
    files: ["functions/*/src/**/*.ts", "packages/nex-fn/src/**/*.ts", "packages/protocol/src/**/*.ts"],
    ignores: ["**/*.spec.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["node:*", "@nats-io/*", "nats"] }],
    },
  },
  {
    // The Nex emulator is a package of its own: it knows nothing of Natster.
    files: ["packages/nex-node/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["@natster/*", "**/infra/**", "**/workloads/**", "**/cli/**"] }],
    },
  },
  {
    // A workload never depends on the tooling that deploys it; packages are imported by name.
    files: ["workloads/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: ["**/infra/**", "**/packages/*/src/**"] }] },
  },
  {
    files: ["cli/**/*.ts", "infra/**/*.ts", "functions/**/*.ts", "bench/**/*.ts", "test/**/*.ts", "nexfiles/**/*.ts"],
    ignores: ["functions/*/src/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: ["**/packages/*/src/**"] }] },
  },
);
