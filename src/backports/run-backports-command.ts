import { join, resolve } from "node:path";
import { createLlmClient } from "../llm/create-llm-client.js";
import { loadBackportPrompts } from "./ask-llm-for-verdict.js";
import type { BackportsLlmConfig } from "./backports-llm-config.js";
import { repoNameFromDir } from "./export-commits.js";
import { findWebUrl } from "./find-web-url.js";
import { fitVerdictModel } from "./fit-verdict-model.js";
import { toJsonLines } from "./json-lines.js";
import { marksFix } from "./mark-fix-subject.js";
import type { TriageArgs } from "./parse-triage-args.js";
import { renderBackportsReport } from "./render-backports-report.js";
import { runBackportsTriage, type TriageLlm, type TriageResult } from "./run-backports-triage.js";
import { writeFileAtomically } from "./write-file-atomically.js";

/** One line of verdicts.jsonl. */
export interface VerdictLine {
  sha: string;
  verdict: "yes" | "wait" | "no" | "uncertain";
  reason: string;
  backported: boolean;
}

/** Writes verdicts.jsonl and index.html of a triage into `outDir` (each atomically). */
export async function writeTriageOutput(params: {
  outDir: string;
  result: TriageResult;
  repoName: string;
  dev: string;
  stable: string;
  webUrl?: string | undefined;
  bold?: RegExp | undefined;
  now: Date;
}): Promise<{ html: string; verdicts: string }> {
  const { result } = params;
  const lines: VerdictLine[] = result.rows.map((row) => ({
    sha: row.record.sha,
    verdict: row.verdict,
    reason: row.reason,
    backported: row.backported,
  }));
  const verdicts = join(params.outDir, "verdicts.jsonl");
  await writeFileAtomically(verdicts, toJsonLines(lines));
  const html = join(params.outDir, "index.html");
  await writeFileAtomically(
    html,
    renderBackportsReport({
      repo: params.repoName,
      dev: params.dev,
      stable: params.stable,
      generatedAt: params.now.toISOString().replace(/\.\d+Z$/, "Z"),
      webUrl: params.webUrl,
      notes: [result.modelNote, result.llmNote],
      rows: result.rows.map((row) => ({
        sha: row.record.sha,
        subject: row.record.subject,
        authorDate: row.record.author_date,
        authorEmail: row.record.author_email ?? "",
        verdict: row.verdict,
        reason: row.reason,
        backported: row.backported,
        fix: marksFix(row.record.subject, params.bold),
      })),
    }),
  );
  return { html, verdicts };
}

/** `npm run backports`: the triage of a local clone, its report and verdicts. */
export async function runBackportsCommand(params: {
  args: TriageArgs;
  /** The LLM variables (src/start/load-backports-config.ts) and the learner's Python. */
  config: { llm: BackportsLlmConfig; python: string };
  now: Date;
  onProgress: (message: string) => void;
}): Promise<{ result: TriageResult; files: { html: string; verdicts: string } }> {
  const { args } = params;
  const config = params.config.llm;
  const llmModel = args.llmModel ?? config.BASE_MODEL_NAME;
  let llm: TriageLlm;
  if (args.noLlm) llm = { missing: "--no-llm was given" };
  else if (!config.LLM_BASE_URL) llm = { missing: "LLM_BASE_URL is not set" };
  else if (!llmModel) llm = { missing: "no model named: pass --model or set BASE_MODEL_NAME" };
  else {
    llm = {
      client: createLlmClient({
        baseUrl: config.LLM_BASE_URL,
        apiKey: config.LLM_API_KEY,
        timeoutMs: config.LLM_TIMEOUT_MS,
        maxRetries: config.LLM_MAX_RETRIES,
      }),
      model: llmModel,
      prompts: await loadBackportPrompts(),
    };
  }
  const outDir = resolve(args.outDir);
  const repoName = args.repoName ?? repoNameFromDir(args.gitDir);
  const command = [params.config.python, "-m", "trainer", "backports"];
  const result = await runBackportsTriage({
    repoDir: args.gitDir,
    repoName,
    dev: args.dev,
    stable: args.stable,
    since: args.since,
    outDir,
    llm,
    refit: args.refit,
    historyBranches: args.historyBranches,
    waitDays: args.waitDays,
    nowMs: params.now.getTime(),
    fit: (rows) => fitVerdictModel({ rows, command }),
    onProgress: params.onProgress,
  });
  const files = await writeTriageOutput({
    outDir,
    result,
    repoName,
    dev: args.dev,
    stable: args.stable,
    webUrl: args.webUrl ?? (await findWebUrl(args.gitDir)),
    bold: args.bold,
    now: params.now,
  });
  return { result, files };
}
