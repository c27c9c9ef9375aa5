import type { Logger } from "pino";

/**
 * Runs `close` once on SIGTERM or SIGINT, then exits. BullMQ's `worker.close()` waits for the
 * jobs in hand to finish, so nothing half-done is abandoned; a second signal exits at once.
 */
export function onShutdown(log: Logger, close: () => Promise<void>): void {
  let closing = false;
  const handler = (signal: NodeJS.Signals) => {
    if (closing) process.exit(1);
    closing = true;
    log.info({ signal }, "shutting down: finishing jobs in hand");
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
