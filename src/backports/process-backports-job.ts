import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Queue, UnrecoverableError } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { z } from "zod";
import type { BackportsJob, BackportsTriageJob } from "../../jobs/backports-job.js";
import {
  type ConfigReadingOctokit,
  RepoConfigFileError,
  readRepoConfigFile,
} from "../github/read-repo-config-file.js";
import { BackportInputError } from "./backport-input-error.js";
import { parseBackportsRepoConfig } from "./backports-repo-config.js";
import { saveBackportsReport } from "./backports-report-store.js";
import { DEFAULT_WAIT_DAYS } from "./build-training-rows.js";
import type { FeatureRow } from "./fit-verdict-model.js";
import { mirrorRepository } from "./mirror-repository.js";
import { writeTriageOutput } from "./run-backports-command.js";
import { runBackportsTriage, type TriageLlm } from "./run-backports-triage.js";
import type { ScheduleSync } from "./sync-backport-schedules.js";
import { syncBackportSchedules } from "./sync-backport-schedules.js";
import type { VerdictModel } from "./verdict-model.js";

/** An installation client: config reads, and its token for git (Probot's `octokit.auth`). */
export type BackportsOctokit = ConfigReadingOctokit & {
  auth(options: { type: "installation" }): Promise<unknown>;
};

export interface BackportsJobDeps {
  queue: Queue;
  octokit: BackportsOctokit;
  redis: Redis;
  keyPrefix: string;
  /** BACKPORTS_DIR: mirrors, saved models, verdict caches and report files live here. */
  dataDir: string;
  llm: TriageLlm;
  fit: (rows: FeatureRow[]) => Promise<VerdictModel>;
  log: Logger;
  now: () => Date;
  onProgress?: (message: string) => Promise<void> | void;
}

export type BackportsJobResult =
  | ({ kind: "sync" } & ScheduleSync)
  | {
      kind: "triage";
      stable: string;
      commits: number;
      backported: number;
      cached: number;
      evaluated: number;
    }
  | { kind: "skipped"; reason: string };

const installationTokenSchema = z.object({ token: z.string().min(1) });

async function triage(
  job: BackportsTriageJob,
  deps: BackportsJobDeps,
): Promise<BackportsJobResult> {
  const fullName = `${job.owner}/${job.repo}`;
  const config = parseBackportsRepoConfig(
    await readRepoConfigFile({ octokit: deps.octokit, owner: job.owner, repo: job.repo }),
    fullName,
  );
  if (!config?.stable.includes(job.stable)) {
    return { kind: "skipped", reason: `${job.stable} is no longer in backports.stable` };
  }
  const { token } = installationTokenSchema.parse(
    await deps.octokit.auth({ type: "installation" }),
  );
  const mirrorDir = join(deps.dataDir, "mirrors", job.owner, `${job.repo}.git`);
  await mirrorRepository({ mirrorDir, cloneUrl: job.cloneUrl, token });
  const outDir = join(deps.dataDir, "reports", job.owner, job.repo, encodeURIComponent(job.stable));
  const now = deps.now();
  const log = deps.log.child({ repo: fullName, stable: job.stable });
  const result = await runBackportsTriage({
    repoDir: mirrorDir,
    repoName: fullName,
    dev: config.dev ?? job.defaultBranch,
    stable: job.stable,
    outDir,
    llm: deps.llm,
    refit: false,
    historyBranches: config.history,
    waitDays: DEFAULT_WAIT_DAYS,
    nowMs: now.getTime(),
    fit: deps.fit,
    onProgress: (message) => {
      log.info(message);
      void deps.onProgress?.(message);
    },
  });
  const files = await writeTriageOutput({
    outDir,
    result,
    repoName: fullName,
    dev: config.dev ?? job.defaultBranch,
    stable: job.stable,
    webUrl: job.htmlUrl,
    bold: config.bold === undefined ? undefined : new RegExp(config.bold, "i"),
    now,
  });
  await saveBackportsReport({
    redis: deps.redis,
    keyPrefix: deps.keyPrefix,
    owner: job.owner,
    repo: job.repo,
    stable: job.stable,
    report: {
      html: await readFile(files.html, "utf8"),
      generatedAt: now.toISOString(),
      counts: result.counts,
    },
  });
  log.info(result.counts, "backport triage done");
  return { kind: "triage", stable: job.stable, ...result.counts };
}

/**
 * Runs one backports job. Bad configuration or input (a branch that is not there, a stable
 * branch without merge base, an empty range) fails without retry, with the reason; git and
 * GitHub failures are retried by BullMQ.
 */
export async function processBackportsJob(params: {
  job: BackportsJob;
  deps: BackportsJobDeps;
}): Promise<BackportsJobResult> {
  const { job, deps } = params;
  try {
    if (job.kind === "sync") {
      const config = parseBackportsRepoConfig(
        await readRepoConfigFile({ octokit: deps.octokit, owner: job.owner, repo: job.repo }),
        `${job.owner}/${job.repo}`,
      );
      const sync = await syncBackportSchedules({ queue: deps.queue, job, config });
      deps.log.info({ repo: `${job.owner}/${job.repo}`, ...sync }, "backport schedules synced");
      return { kind: "sync", ...sync };
    }
    return await triage(job, deps);
  } catch (error) {
    if (error instanceof BackportInputError || error instanceof RepoConfigFileError) {
      throw new UnrecoverableError(error.message);
    }
    throw error;
  }
}
