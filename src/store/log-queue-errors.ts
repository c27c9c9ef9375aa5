import type { Logger } from "pino";

interface ErrorEmitter {
  on(event: "error", listener: (error: Error) => void): unknown;
}

const connectionErrorCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);

/** Whether an error only says that Redis cannot be reached (reported once per outage elsewhere). */
export function isRedisConnectionError(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return (
    (code !== undefined && connectionErrorCodes.has(code)) ||
    /Connection is closed|Stream isn't writeable/.test(error.message)
  );
}

/**
 * Gives BullMQ queues, workers and queue-event listeners an `error` listener. Without one BullMQ
 * prints every failed reconnect as a stack trace; connection errors are already reported once
 * per outage by `connectRedis`, so only other errors are logged here.
 */
export function logQueueErrors(log: Logger, emitters: ErrorEmitter[]): void {
  for (const emitter of emitters) {
    emitter.on("error", (error) => {
      if (!isRedisConnectionError(error)) log.error({ err: error }, "queue error");
    });
  }
}
