import { defineConfig } from "vitest/config";

/**
 * `npm run test:data`: the checks that read the project's shared data beside the clone
 * (`../shared`, or SHARED_DIR / TRAINER_SHARED_DIR): the recorded secp256k1 review history and
 * CodeReviewer's full test-set predictions, which may not be copied into the repository.
 * `npm test` runs on a clone with nothing beside it and leaves these files out; .ci/run runs
 * them when ../shared is there and says so when it is not. A missing file fails, never skips.
 */
export default defineConfig({
  test: {
    include: ["test/**/*.data.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
