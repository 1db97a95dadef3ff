import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "dist/**"],
    // A 2-core CI machine runs every file in parallel: give a test room before
    // calling it hung. No test asserts on speed (benchmarks live in bench/).
    testTimeout: 60_000,
  },
});
