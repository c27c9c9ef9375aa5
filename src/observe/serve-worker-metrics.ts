import { createServer, type Server } from "node:http";
import type { Logger } from "pino";
import { createMetricsHandler } from "./create-metrics-handler.js";

/**
 * A worker's own `/metrics` (its LLM calls, reviews, jobs) on METRICS_PORT, behind the same
 * METRICS_TOKEN as the server's. Off unless both are set.
 */
export async function serveWorkerMetrics(params: {
  port: number | undefined;
  token: string | undefined;
  log: Logger;
}): Promise<Server | undefined> {
  if (!params.port) return undefined;
  if (!params.token) {
    params.log.warn("METRICS_PORT is set but METRICS_TOKEN is not: the worker serves no metrics");
    return undefined;
  }
  const metrics = createMetricsHandler({ token: params.token });
  const server = createServer(async (req, res) => {
    if (!(await metrics(req, res))) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(params.port, resolve));
  params.log.info({ port: params.port }, "worker metrics on /metrics");
  return server;
}
