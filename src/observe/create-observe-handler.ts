import type { IncomingMessage, ServerResponse } from "node:http";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { createHealthHandler } from "./create-health-handler.js";
import { createMetricsHandler, measureQueueDepths } from "./create-metrics-handler.js";
import { createQueueBoardHandler } from "./create-queue-board-handler.js";

/**
 * The operator's routes on the bot's own server, as one Probot `addHandler` handler:
 * `/healthz`, `/readyz` (its details with METRICS_TOKEN), `/metrics` (METRICS_TOKEN) and
 * `/admin/queues` (ADMIN_TOKEN).
 */
export function createObserveHandler(params: {
  redis: Redis;
  queues: Queue[];
  llm: { baseUrl: string; apiKey: string; baseModel: string };
  metricsToken: string | undefined;
  adminToken: string | undefined;
}) {
  measureQueueDepths(params.queues);
  const handlers = [
    createHealthHandler({
      redis: params.redis,
      queues: params.queues,
      llm: params.llm,
      metricsToken: params.metricsToken,
    }),
    createMetricsHandler({ token: params.metricsToken }),
    createQueueBoardHandler({ token: params.adminToken, queues: params.queues }),
  ];
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    for (const handler of handlers) if (await handler(req, res)) return true;
    return false;
  };
}
