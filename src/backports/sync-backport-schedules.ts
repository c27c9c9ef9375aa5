import type { Queue } from "bullmq";
import {
  type BackportsJob,
  type BackportsTriageJob,
  backportsSchedulerId,
} from "../../jobs/backports-job.js";
import type { BackportsRepoConfig } from "./backports-repo-config.js";

/** What a sync changed. */
export interface ScheduleSync {
  /** Stable branches with a scheduler now. */
  scheduled: string[];
  /** Stable branches whose scheduler was removed (no longer in the config). */
  removed: string[];
  /** Stable branches judged right away: new in the config, or their schedule changed. */
  startedNow: string[];
}

/**
 * Keeps one repeatable triage job per stable branch of the repository's `backports:` config (a
 * BullMQ job scheduler, so reruns and restarts never duplicate it), removes the schedulers of
 * branches no longer listed, and queues a first triage at once for a new or rescheduled branch,
 * so a new config shows a report without waiting for the schedule.
 */
export async function syncBackportSchedules(params: {
  queue: Queue;
  job: Extract<BackportsJob, { kind: "sync" }>;
  config: BackportsRepoConfig | undefined;
}): Promise<ScheduleSync> {
  const { queue, job } = params;
  const prefix = backportsSchedulerId({ owner: job.owner, repo: job.repo, stable: "" });
  const existing = (await queue.getJobSchedulers(0, -1)).filter((scheduler) =>
    scheduler.key.startsWith(prefix),
  );
  const wanted = params.config?.stable ?? [];
  const removed: string[] = [];
  for (const scheduler of existing) {
    const stable = scheduler.key.slice(prefix.length);
    if (!wanted.includes(stable)) {
      await queue.removeJobScheduler(scheduler.key);
      removed.push(stable);
    }
  }
  const startedNow: string[] = [];
  for (const stable of wanted) {
    const id = backportsSchedulerId({ owner: job.owner, repo: job.repo, stable });
    const pattern = params.config?.schedule ?? "0 5 * * *";
    const before = existing.find((scheduler) => scheduler.key === id);
    const data: BackportsTriageJob = {
      kind: "triage",
      installationId: job.installationId,
      owner: job.owner,
      repo: job.repo,
      cloneUrl: job.cloneUrl,
      htmlUrl: job.htmlUrl,
      defaultBranch: job.defaultBranch,
      stable,
    };
    await queue.upsertJobScheduler(
      id,
      { pattern, tz: "UTC" },
      {
        name: "triage",
        data,
        opts: { attempts: 2, backoff: { type: "exponential", delay: 60_000 } },
      },
    );
    if (before?.pattern !== pattern) {
      await queue.add("triage", data, { jobId: `${id}/now/${job.after}`, attempts: 2 });
      startedNow.push(stable);
    }
  }
  return { scheduled: wanted, removed, startedNow };
}
