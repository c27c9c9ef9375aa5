import { getTransformStream } from "@probot/pino";
import { type Logger, pino } from "pino";
import { requestLogRedaction } from "../observe/redact-request-log.js";

/** The same pino setup Probot's own `run` uses, honouring LOG_LEVEL and LOG_FORMAT. */
export async function createLogger(env: NodeJS.ProcessEnv = process.env): Promise<Logger> {
  const logFormat =
    env.LOG_FORMAT === "json" || (!env.LOG_FORMAT && env.NODE_ENV === "production")
      ? "json"
      : "pretty";
  const transform = await getTransformStream({
    logFormat,
    logLevelInString: env.LOG_LEVEL_IN_STRING === "true",
    ...(env.SENTRY_DSN ? { sentryDsn: env.SENTRY_DSN } : {}),
  });
  // pino's SonicBoom is a stream at run time; its typings predate exactOptionalPropertyTypes.
  transform.pipe(pino.destination(1) as unknown as NodeJS.WritableStream);
  return pino(
    {
      level: env.LOG_LEVEL || "info",
      name: "probot",
      messageKey: env.LOG_MESSAGE_KEY || "msg",
      // Probot's access log prints headers (tokens, cookies) and URLs (the OAuth code and state).
      redact: requestLogRedaction,
    },
    transform,
  );
}
