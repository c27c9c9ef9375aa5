import type { IncomingMessage, ServerResponse } from "node:http";
import { checkReadiness, type ReadinessParams } from "./check-readiness.js";
import { requestHasToken } from "./check-token.js";

/**
 * `GET /healthz` (the process answers: 200) and `GET /readyz` (200 when Redis, the queues and
 * the LLM server are usable, else 503) — the probes a container orchestrator or load balancer
 * polls. `/readyz` says only `{"status": …}`; each check's detail (which names LLM_BASE_URL and
 * every model vLLM serves, adapters included) only to a request bearing METRICS_TOKEN.
 */
export function createHealthHandler(
  params: ReadinessParams & { metricsToken: string | undefined },
) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? "").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    if (path === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
      return true;
    }
    if (path === "/readyz") {
      const checks = await checkReadiness(params);
      const ready = checks.every((check) => check.ok);
      res
        .writeHead(ready ? 200 : 503, {
          "content-type": "application/json",
          "cache-control": "no-store",
        })
        .end(
          JSON.stringify({
            status: ready ? "ready" : "not ready",
            ...(params.metricsToken && requestHasToken(req, params.metricsToken) ? { checks } : {}),
          }),
        );
      return true;
    }
    return false;
  };
}
