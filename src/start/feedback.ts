import { pino } from "pino";
import {
  FEEDBACK_USAGE,
  FeedbackUsageError,
  parseFeedbackArgs,
  runFeedbackCommand,
} from "../fates/run-feedback-command.js";
import { connectRedis } from "../store/connect-redis.js";
import { loadDotEnv } from "./load-dot-env.js";
import { loadFeedbackConfig } from "./load-feedback-config.js";
import { runCommandLine } from "./run-command-line.js";

// `npm run feedback -- --repo o/r --reviewer login`: see FEEDBACK_USAGE.
loadDotEnv();
await runCommandLine({
  parse: parseFeedbackArgs,
  usage: FEEDBACK_USAGE,
  run: async (args) => {
    const config = loadFeedbackConfig(process.env);
    // stdout carries the JSON: Redis trouble goes to stderr.
    const redis = connectRedis(config.REDIS_URL, pino({ name: "feedback" }, pino.destination(2)));
    try {
      const figures = await runFeedbackCommand({ args, redis, keyPrefix: config.QUEUE_PREFIX });
      process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    } finally {
      await redis.quit();
    }
  },
  fail: (error) => {
    if (error instanceof FeedbackUsageError) {
      process.stderr.write(`${error.message}\n\n${FEEDBACK_USAGE}`);
      return 2;
    }
    process.stderr.write(
      `feedback failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  },
});
