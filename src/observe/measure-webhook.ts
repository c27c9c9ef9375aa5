import { webhookSeconds, webhooksTotal } from "./metrics.js";

/**
 * Runs a webhook's handling, counting it by event and outcome (what `handle` returns, or
 * "error") in `tlb_webhooks_total` and timing it in `tlb_webhook_duration_seconds`.
 */
export async function measureWebhook<Outcome extends string>(
  event: string,
  handle: () => Promise<Outcome>,
): Promise<Outcome> {
  const stop = webhookSeconds.startTimer({ event });
  try {
    const outcome = await handle();
    webhooksTotal.inc({ event, outcome });
    return outcome;
  } catch (error) {
    webhooksTotal.inc({ event, outcome: "error" });
    throw error;
  } finally {
    stop();
  }
}
