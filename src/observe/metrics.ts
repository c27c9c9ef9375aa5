import { Counter, Histogram, register } from "prom-client";

// prom-client's default registry: each process (server, persona worker, training worker)
// exposes what it did itself; Prometheus adds them up across processes and hosts.

export const webhooksTotal = new Counter({
  name: "tlb_webhooks_total",
  help: "Comment webhooks handled, by event and outcome (queued, ignored, duplicate, error)",
  labelNames: ["event", "outcome"] as const,
});

export const webhookSeconds = new Histogram({
  name: "tlb_webhook_duration_seconds",
  help: "Time to handle a comment webhook (parse, dedupe, queue)",
  labelNames: ["event"] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
});

export const jobSeconds = new Histogram({
  name: "tlb_job_duration_seconds",
  help: "Time a job ran in a worker of this process, by queue and outcome",
  labelNames: ["queue", "outcome"] as const,
  buckets: [0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 14400],
});

export const llmRequestSeconds = new Histogram({
  name: "tlb_llm_request_duration_seconds",
  help: "Time of one HTTP request to the LLM server, by outcome (HTTP status or error)",
  labelNames: ["outcome"] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
});

export const llmErrorsTotal = new Counter({
  name: "tlb_llm_errors_total",
  help: "LLM requests that failed (HTTP status ≥ 400 or no answer), by outcome",
  labelNames: ["outcome"] as const,
});

export const reviewsPostedTotal = new Counter({
  name: "tlb_reviews_posted_total",
  help: "Reviews posted on pull requests",
});

export const commentsPerReview = new Histogram({
  name: "tlb_review_comments",
  help: "Inline comments per posted review",
  buckets: [0, 1, 2, 3, 5, 8, 13, 20, 30],
});

export const trainingRunsTotal = new Counter({
  name: "tlb_training_runs_total",
  help: "Training jobs run by this worker, by outcome",
  labelNames: ["outcome"] as const,
});

export const trainingSeconds = new Histogram({
  name: "tlb_training_duration_seconds",
  help: "Wall time of one training job (trainer, publication, evaluation)",
  labelNames: ["outcome"] as const,
  buckets: [30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400],
});

export const oauthSignInsTotal = new Counter({
  name: "tlb_oauth_sign_ins_total",
  help: "Requesters who signed in with GitHub through /oauth/callback",
});

/** The registry every metric of this process is in. */
export const metricsRegistry = register;
