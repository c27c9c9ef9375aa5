/**
 * npm run bench:review — reviews a real 200-hunk diff (test/fixtures/diffs/two-hundred-hunks.diff)
 * with the review stage as a worker runs it, against a stand-in OpenAI-compatible server that
 * answers every request after 200 ms and the stand-in GitHub (every request checked against
 * GitHub's OpenAPI description), each in its own process as the real services are. Status edits
 * go through the run's real StatusReporter, so every GitHub write is counted. LLM_CONCURRENCY
 * (default 16) and the other review variables apply.
 * The last line is: hunks=<h> wall_ms=<w> ideal_ms=<i> sequential_ms=<s> github_writes=<g>
 */
import { Octokit } from "@octokit/core";
import { pino } from "pino";
import { parseEnv } from "../src/config/parse-env.js";
import { createLlmClient } from "../src/llm/create-llm-client.js";
import { loadReviewPrompts } from "../src/review/load-review-prompts.js";
import { reviewConfigSchema } from "../src/review/review-config.js";
import { reviewPullRequest } from "../src/review/review-pull-request.js";
import { createStatusReporter } from "../src/run/status-reporter.js";
import { startStandInGithub, startStandInLlm } from "./support/start-stand-in.js";

const LLM_DELAY_MS = 200;
const out = (line: string) => process.stdout.write(`${line}\n`);

const llm = await startStandInLlm(LLM_DELAY_MS);
const github = await startStandInGithub<{ apiBaseUrl: string }>(
  "serve-stand-in-github.ts",
  "two-hundred-hunks.diff",
);
const config = parseEnv(reviewConfigSchema, { ...process.env, LLM_BASE_URL: llm.ready.baseUrl });
const octokit = new Octokit({ baseUrl: github.ready.apiBaseUrl, auth: "ghs_bench" });
const llmClient = createLlmClient({
  baseUrl: config.LLM_BASE_URL,
  apiKey: config.LLM_API_KEY,
  timeoutMs: config.LLM_TIMEOUT_MS,
  maxRetries: config.LLM_MAX_RETRIES,
});
// A worker is a long-lived process: its clients have made requests before this review starts.
await llmClient.models.list();
await octokit.request("GET /repos/{owner}/{repo}/pulls/{pull_number}/comments", {
  owner: "o",
  repo: "r",
  pull_number: 1,
});
const templates = await loadReviewPrompts();
const status = createStatusReporter({
  octokit,
  ref: { owner: "o", repo: "r", commentId: 5 },
  runId: "bench",
  view: { requesterLogin: "requester", reviewerLogin: "alice", headSha: "b".repeat(40) },
});

const started = performance.now();
const cpuBefore = process.cpuUsage();
const outcome = await reviewPullRequest({
  octokit,
  owner: "o",
  repo: "r",
  pullNumber: 1,
  headSha: "b".repeat(40),
  reviewerLogin: "alice",
  model: { kind: "adapter", name: "o-r-alice-v1", version: 1, trainedOn: 400 },
  reviewerCommentRate: 0.1,
  repoConfigFile: {},
  llm: llmClient,
  templates,
  config,
  showStatus: status.show,
  log: pino({ level: "warn" }),
});
const wallMs = Math.round(performance.now() - started);
const cpu = process.cpuUsage(cpuBefore);

const llmStats = await llm.ask<{ hunkRequests: number; maxInFlight: number }>("stats");
const githubStats = await github.ask<{ writes: number; violations: string[] }>("stats");
await Promise.all([llm.close(), github.close()]);
if (githubStats.violations.length > 0) {
  throw new Error(`GitHub would refuse: ${githubStats.violations.join("; ")}`);
}
// Hunks the model was asked about (not the warm-up model list, not the summary request).
const hunks = llmStats.hunkRequests;
out(
  `concurrency=${config.LLM_CONCURRENCY} llm_delay_ms=${LLM_DELAY_MS} max_in_flight=${llmStats.maxInFlight}`,
);
out(
  `hunks_read=${outcome.counts.hunksRead} comments_posted=${outcome.counts.commentsPosted} bot_cpu_ms=${Math.round((cpu.user + cpu.system) / 1000)}`,
);
out(
  `hunks=${hunks} wall_ms=${wallMs} ideal_ms=${Math.ceil(hunks / config.LLM_CONCURRENCY) * LLM_DELAY_MS} sequential_ms=${hunks * LLM_DELAY_MS} github_writes=${githubStats.writes}`,
);
