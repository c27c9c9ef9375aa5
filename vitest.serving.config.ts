import { defineConfig } from "vitest/config";

/**
 * The real-serving tests (`npm run test:serving`): vLLM's CPU build serving SmolLM2-135M, one
 * server start shared by every file (test/serving/global-setup.ts). Kept out of `npm test`
 * because the server start and a CPU training run take minutes; .ci/run runs both.
 */
export default defineConfig({
  test: {
    include: ["test/serving/**/*.test.ts"],
    globalSetup: ["test/serving/global-setup.ts"],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // vLLM takes a few seconds to shut its engine down.
    teardownTimeout: 60_000,
    pool: "forks",
    // One file at a time: the server has one core to itself on a 2-core machine.
    fileParallelism: false,
  },
});
