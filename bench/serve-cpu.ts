/**
 * npm run bench:serve-cpu — hunk requests with log-probabilities, as the review stage sends them
 * (the bot's prompts and client, greedy, top-5 log-probs, held to the answer format, ended at the
 * line's end, up to MAX_ANSWER_TOKENS tokens: hunkAnswerRequest), against
 * vLLM's CPU build serving SmolLM2-135M (scripts/serve-vllm-cpu.sh; run
 * `bash scripts/setup-cpu-stack.sh` once). The hunks are those of real merged secp256k1 pull
 * requests (the shared review history). It trains a small adapter with the trainer's CLI (2 steps),
 * has the client load it, then sends the same requests to the adapter and to the base model,
 * BENCH_CONCURRENCY (default 2) at a time, after one warm-up request each.
 * Per model: latency p50/p95, the first request's time (the adapter's includes its load), the
 * answer tokens in all, their median per request, and how many answers ran to MAX_ANSWER_TOKENS.
 * Before the last line, vLLM's resident memory per process (`vllm memory: rss_mb=…`). The last
 * line is:
 *   requests=<n> concurrency=<c> p50_ms=<n> p95_ms=<n> adapter_vs_base_latency=<ratio>
 *   median_answer_tokens_adapter=<n> median_answer_tokens_base=<n>
 * (one line) where p50/p95 are the adapter's (what a trained reviewer's review waits for) and the
 * ratio is adapter p50 / base p50.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { embeddedLlmSettings } from "../src/config/embedded-llm.js";
import { askModelForHunk } from "../src/llm/ask-model-for-hunk.js";
import { createLlmClient } from "../src/llm/create-llm-client.js";
import { createConcurrencyLimit, mapWithLimit } from "../src/llm/limit-concurrency.js";
import { buildHunkMessages } from "../src/review/build-hunk-messages.js";
import { loadReviewPrompts } from "../src/review/load-review-prompts.js";
import { type Hunk, parseDiffHunks } from "../src/review/parse-diff-hunks.js";
import { hunkAnswerRequest, MAX_ANSWER_TOKENS } from "../src/review/review-hunk.js";
import { readMergedPullDiff, writeTrainingSet } from "../support/llm/read-review-history.js";
import { startVllmCpu } from "../support/llm/start-vllm-cpu.js";
import { trainCpuAdapter } from "../support/llm/train-cpu-adapter.js";
import { describeGroupMemory } from "./support/measure-group-memory.js";
import { requireSharedHistory } from "./support/require-data-file.js";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 16);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 2);
const ADAPTER = "bitcoin-core-secp256k1-sipa-v1";
/** Small merged PRs whose C hunks are the bench's requests. */
const PULLS = [1811, 1845, 1859, 1863, 1865, 1877, 1900, 1910];
const out = (line: string) => process.stdout.write(`${line}\n`);

const historyPath = requireSharedHistory();
const modelDir = embeddedLlmSettings(process.env).env.BASE_MODEL_DIR;
const workDir = await mkdtemp(join(tmpdir(), "bench-serve-cpu-"));
const adaptersDir = join(workDir, "adapters");
await mkdir(adaptersDir);
const dataset = join(workDir, "sipa.jsonl");
await writeTrainingSet({ historyPath, path: dataset, reviewerLogin: "sipa", count: 8 });
out("training a 2-step adapter and starting vLLM (CPU)…");
const [server] = await Promise.all([
  startVllmCpu({ modelDir }),
  trainCpuAdapter({
    dataset,
    modelDir,
    outputDir: join(adaptersDir, ADAPTER),
    steps: 2,
    learningRate: 1e-3,
  }),
]);
try {
  out(`vllm_start_s=${server.startSeconds.toFixed(0)}`);
  const templates = await loadReviewPrompts();
  const hunks: Hunk[] = [];
  for (const number of PULLS) {
    const { diff } = await readMergedPullDiff({ historyPath, number });
    hunks.push(...parseDiffHunks(diff).flatMap((file) => file.hunks));
  }
  const requests = Array.from({ length: REQUESTS }, (_, index) => {
    const hunk = hunks[index % hunks.length];
    if (!hunk) throw new Error("the bench PRs hold no hunks");
    return buildHunkMessages({
      templates,
      reviewerLogin: "sipa",
      repoFullName: "bitcoin-core/secp256k1",
      hunk,
    });
  });
  const client = createLlmClient({
    baseUrl: server.baseUrl,
    apiKey: "not-needed",
    timeoutMs: 600_000,
    maxRetries: 0,
    adaptersDir,
  });

  // The review stage's own request fields: its decoding constraint, stop and token cap.
  const answerRequest = hunkAnswerRequest({});
  const measure = async (model: string) => {
    // Warm-up: the adapter's load (once per server) is not a hunk request's latency.
    const loadStarted = Date.now();
    await askModelForHunk({
      client,
      model,
      messages: requests[0] ?? [],
      ...answerRequest,
    });
    const firstMs = Date.now() - loadStarted;
    const latencies: number[] = [];
    const answerTokens: number[] = [];
    const results = await mapWithLimit({
      items: requests,
      limit: createConcurrencyLimit(CONCURRENCY),
      worker: async (messages) => {
        const started = Date.now();
        const answer = await askModelForHunk({
          client,
          model,
          messages,
          ...answerRequest,
        });
        latencies.push(Date.now() - started);
        answerTokens.push(answer.tokens?.length ?? 0);
      },
    });
    const failed = results.filter((result) => result.status === "rejected");
    if (failed.length > 0) throw (failed[0] as PromiseRejectedResult).reason;
    return {
      p50: quantile(latencies, 0.5),
      p95: quantile(latencies, 0.95),
      firstMs,
      tokens: answerTokens.reduce((sum, count) => sum + count, 0),
      medianTokens: quantile(answerTokens, 0.5),
      atTokenLimit: answerTokens.filter((count) => count >= MAX_ANSWER_TOKENS).length,
    };
  };

  const base = await measure(modelDir);
  out(
    `base: p50_ms=${base.p50} p95_ms=${base.p95} first_ms=${base.firstMs} answer_tokens=${base.tokens} median_answer_tokens=${base.medianTokens} at_token_limit=${base.atTokenLimit}`,
  );
  const adapter = await measure(ADAPTER);
  out(
    `adapter: p50_ms=${adapter.p50} p95_ms=${adapter.p95} first_ms_incl_load=${adapter.firstMs} answer_tokens=${adapter.tokens} median_answer_tokens=${adapter.medianTokens} at_token_limit=${adapter.atTokenLimit}`,
  );
  // After both models answered (adapter loaded, KV cache in use): vLLM's API server, engine and
  // worker processes.
  out(`vllm memory: ${describeGroupMemory(server.processGroup)}`);
  out(
    `requests=${REQUESTS} concurrency=${CONCURRENCY} p50_ms=${adapter.p50} p95_ms=${adapter.p95} adapter_vs_base_latency=${(adapter.p50 / base.p50).toFixed(2)} median_answer_tokens_adapter=${adapter.medianTokens} median_answer_tokens_base=${base.medianTokens}`,
  );
} finally {
  await server.stop();
  await rm(workDir, { recursive: true, force: true });
}

/** The nearest-rank quantile `q` of `values` (0 when empty). */
function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}
