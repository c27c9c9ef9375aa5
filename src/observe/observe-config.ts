import { z } from "zod";

const tokenSchema = (variable: string) =>
  z
    .string()
    .min(16, {
      error: `${variable} must be at least 16 characters; make one with \`openssl rand -hex 32\``,
    })
    .optional();

/** What the operator can watch: /metrics and the queue board, each off until its token is set. */
export const observeConfigSchema = z.object({
  METRICS_TOKEN: tokenSchema("METRICS_TOKEN").describe(
    "Bearer token for GET /metrics (Prometheus); unset: /metrics answers 404",
  ),
  ADMIN_TOKEN: tokenSchema("ADMIN_TOKEN").describe(
    "Token for the queue board at /admin/queues (HTTP Basic password or Bearer); unset: 404",
  ),
  METRICS_PORT: z.coerce
    .number({ error: "METRICS_PORT must be a port number, e.g. METRICS_PORT=9464" })
    .int()
    .min(1)
    .max(65535, { error: "METRICS_PORT must be a port number, e.g. METRICS_PORT=9464" })
    .optional()
    .describe("Workers only: serve /metrics on this port (needs METRICS_TOKEN)"),
});

export type ObserveConfig = z.infer<typeof observeConfigSchema>;
