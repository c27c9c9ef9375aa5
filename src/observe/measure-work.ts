import type { Job, Worker } from "bullmq";
import {
  jobSeconds,
  llmErrorsTotal,
  llmRequestSeconds,
  trainingRunsTotal,
  trainingSeconds,
} from "./metrics.js";

/** Records every job a worker finishes in `tlb_job_duration_seconds`, by queue and outcome. */
export function measureJobs(worker: Worker): void {
  const record = (job: Job | undefined, outcome: "completed" | "failed") => {
    if (!job?.processedOn) return;
    const seconds = ((job.finishedOn ?? Date.now()) - job.processedOn) / 1000;
    jobSeconds.observe({ queue: worker.name, outcome }, seconds);
  };
  worker.on("completed", (job) => record(job, "completed"));
  worker.on("failed", (job) => record(job, "failed"));
}

/** Runs one training job, counting it and its wall time by outcome (published, skipped, failed). */
export async function measureTrainingRun<Result extends { kind: string }>(
  train: () => Promise<Result>,
): Promise<Result> {
  const stop = trainingSeconds.startTimer();
  try {
    const result = await train();
    trainingRunsTotal.inc({ outcome: result.kind });
    stop({ outcome: result.kind });
    return result;
  } catch (error) {
    trainingRunsTotal.inc({ outcome: "failed" });
    stop({ outcome: "failed" });
    throw error;
  }
}

/**
 * A `fetch` that records each LLM request's latency and failures; given to the OpenAI SDK, so
 * every attempt (retries included) is measured.
 */
export const measuredFetch: typeof fetch = async (input, init) => {
  const stop = llmRequestSeconds.startTimer();
  try {
    const response = await fetch(input, init);
    const outcome = String(response.status);
    stop({ outcome });
    if (response.status >= 400) llmErrorsTotal.inc({ outcome });
    return response;
  } catch (error) {
    const outcome = (error as Error).name === "AbortError" ? "timeout" : "no answer";
    stop({ outcome });
    llmErrorsTotal.inc({ outcome });
    throw error;
  }
};
