import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Real vLLM on CPU: `npm run test:serving` (vitest.serving.config.ts), minutes per run.
    // Checks on the shared data beside the clone: `npm run test:data` (vitest.data.config.ts).
    exclude: ["test/serving/**", "test/**/*.data.test.ts", "**/node_modules/**"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests share one Redis; each test uses its own queue names and key prefix.
    pool: "forks",
  },
});
