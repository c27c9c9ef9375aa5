import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { CommandJob } from "../../jobs/command-job.js";
import type { GitHubClient } from "../github/github-client.js";
import { forgetReviewer } from "../train/forget-reviewer.js";
import { isRepoAdmin } from "./check-permission.js";

/**
 * `@bot forget <login>`: the reviewer themself, or an admin of the repository, deletes that
 * reviewer's adapters, registry entries and collected history in this repository. Answers
 * with what was deleted, or why not.
 */
export async function handleForgetCommand(params: {
  job: CommandJob;
  reviewerLogin: string;
  deps: { octokit: GitHubClient; redis: Redis; trainQueue: Queue; keyPrefix: string; log: Logger };
  reply: (markdown: string) => Promise<void>;
}): Promise<"forgot" | "refused"> {
  const { job, reviewerLogin, deps } = params;
  const self = job.commenterLogin.toLowerCase() === reviewerLogin.toLowerCase();
  if (
    !self &&
    !(await isRepoAdmin({
      octokit: deps.octokit,
      owner: job.owner,
      repo: job.repo,
      login: job.commenterLogin,
    }))
  ) {
    await params.reply(
      `@${job.commenterLogin} only \`${reviewerLogin}\` themself or an admin of ${job.owner}/${job.repo} can make me forget them.`,
    );
    return "refused";
  }
  const report = await forgetReviewer({
    redis: deps.redis,
    keyPrefix: deps.keyPrefix,
    trainQueue: deps.trainQueue,
    subject: { owner: job.owner, repo: job.repo, reviewerLogin },
    commentId: job.commentId,
  });
  deps.log.info({ reviewerLogin, ...report }, "reviewer forgotten");
  const adapters =
    report.adapterNames.length === 0
      ? "There was no adapter trained on them here."
      : `Their adapter${report.adapterNames.length === 1 ? "" : "s"} (${report.adapterNames.map((name) => `\`${name}\``).join(", ")}) will no longer be used, and the files are being deleted from the adapter store.`;
  const history =
    report.historyKeysDeleted === 0
      ? "No collected review history was cached."
      : "Their collected review history is deleted.";
  await params.reply(
    [
      `@${job.commenterLogin} done: I forgot \`${reviewerLogin}\` in ${job.owner}/${job.repo}.`,
      "",
      `- ${adapters}`,
      `- ${history}`,
      "",
      `Anyone with write access can still ask for a review in their style later, which collects and trains again. To prevent that, add them to \`personas.deny\` in \`.github/tech-lead-bot.yml\`.`,
    ].join("\n"),
  );
  return "forgot";
}
