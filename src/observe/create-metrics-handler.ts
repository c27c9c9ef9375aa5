import type { IncomingMessage, ServerResponse } from "node:http";
import type { Queue } from "bullmq";
import { Gauge } from "prom-client";
import { requestHasToken } from "./check-token.js";
import { metricsRegistry } from "./metrics.js";

/**
 * `tlb_queue_jobs{queue,state}`: how many jobs each queue holds in each state, read from Redis
 * at every scrape (so any one server replica reports the whole deployment's queues).
 */
export function measureQueueDepths(queues: Queue[]): void {
  // Once per process: the registry holds one metric per name (the first caller's queues).
  if (metricsRegistry.getSingleMetric("tlb_queue_jobs")) return;
  new Gauge({
    name: "tlb_queue_jobs",
    help: "Jobs in each queue by state (waiting, active, delayed, failed, …), read at scrape time",
    labelNames: ["queue", "state"] as const,
    registers: [metricsRegistry],
    async collect() {
      this.reset();
      for (const queue of queues) {
        const counts = await queue.getJobCounts();
        for (const [state, count] of Object.entries(counts)) {
          this.set({ queue: queue.name, state }, count);
        }
      }
    },
  });
}

/**
 * `GET /metrics` in Prometheus's text format, only for a request bearing METRICS_TOKEN
 * (`Authorization: Bearer …`); without METRICS_TOKEN the route does not exist (404).
 */
export function createMetricsHandler(params: { token: string | undefined }) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if ((req.url ?? "").split("?")[0] !== "/metrics" || !params.token) return false;
    if (!requestHasToken(req, params.token)) {
      res
        .writeHead(401, {
          "www-authenticate": 'Bearer realm="metrics"',
          "content-type": "text/plain",
        })
        .end("401: send Authorization: Bearer <METRICS_TOKEN>\n");
      return true;
    }
    let body: string;
    try {
      body = await metricsRegistry.metrics();
    } catch (error) {
      res
        .writeHead(503, { "content-type": "text/plain" })
        .end(`metrics unavailable: ${(error as Error).message}\n`);
      return true;
    }
    res.writeHead(200, { "content-type": metricsRegistry.contentType }).end(body);
    return true;
  };
}
