import type { Logger } from "pino";

/** How long a shutdown may take by default before the process exits anyway (seconds). */
export const DEFAULT_SHUTDOWN_TIMEOUT_SECONDS = 25;

/** SHUTDOWN_TIMEOUT_SECONDS, or the default when unset or not a positive number. */
export function shutdownTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const seconds = Number(env.SHUTDOWN_TIMEOUT_SECONDS);
  return (
    (Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_SHUTDOWN_TIMEOUT_SECONDS) * 1000
  );
}

/**
 * Runs `close` once on SIGTERM or SIGINT, then exits. BullMQ's `worker.close()` waits for the
 * jobs in hand to finish, so nothing half-done is abandoned; a second signal exits at once.
 * If closing takes longer than SHUTDOWN_TIMEOUT_SECONDS (Redis down, a job that will not end),
 * the process exits anyway: BullMQ hands a job whose lock expires to another worker.
 */
export function onShutdown(
  log: Logger,
  close: () => Promise<void>,
  timeoutMs: number = shutdownTimeoutMs(),
): void {
  let closing = false;
  const handler = (signal: NodeJS.Signals) => {
    if (closing) process.exit(1);
    closing = true;
    log.info({ signal }, "shutting down: finishing jobs in hand");
    setTimeout(() => {
      log.error(
        { timeoutSeconds: timeoutMs / 1000 },
        "shutdown did not finish in time (is Redis reachable?): exiting; jobs in hand go back to the queue when their locks expire",
      );
      process.exit(1);
    }, timeoutMs).unref();
    close()
      .then(() => {
        log.info("stopped cleanly");
        process.exit(0);
      })
      .catch((error: unknown) => {
        log.error({ err: error }, "error while shutting down");
        process.exit(1);
      });
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
}
