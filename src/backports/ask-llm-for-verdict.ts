import { createHash } from "node:crypto";
import type OpenAI from "openai";
import { z } from "zod";
import { fillTemplate } from "../prompts/fill-template.js";
import { loadPromptTemplate } from "../prompts/load-prompts.js";
import type { FeatureInput } from "./extract-commit-features.js";

/** The verdict words of the report and verdicts.jsonl. */
export const verdictSchema = z.enum(["yes", "wait", "no", "uncertain"]);
export type Verdict = z.infer<typeof verdictSchema>;

/** What the LLM says of one commit. */
export interface LlmVerdict {
  verdict: Verdict;
  reason: string;
}

/** The two backport prompt templates and a hash of them (part of every cached verdict's key). */
export interface BackportPrompts {
  system: string;
  commit: string;
  version: string;
}

/** Loads prompts/backport-verdict.md and prompts/backport-commit.md (or from `dir`). */
export async function loadBackportPrompts(
  params: { dir?: URL | string } = {},
): Promise<BackportPrompts> {
  const [system, commit] = await Promise.all([
    loadPromptTemplate({ name: "backport-verdict", ...params }),
    loadPromptTemplate({ name: "backport-commit", ...params }),
  ]);
  const version = createHash("sha256")
    .update(system)
    .update("\0")
    .update(commit)
    .digest("hex")
    .slice(0, 12);
  return { system, commit, version };
}

const MAX_MESSAGE_CHARS = 4_000;
const MAX_LISTED_FILES = 30;
const MAX_REASON_CHARS = 600;

/**
 * Reads the model's answer: a `VERDICT:` line and a `REASON:` paragraph (case and extra spaces
 * tolerated; "backport now" → yes, "later" → wait, "unsure" → uncertain).
 *
 * @throws Error when no verdict can be read, quoting the start of the answer.
 */
export function parseLlmVerdict(text: string): LlmVerdict {
  const verdictMatch = /verdict\s*[:=-]\s*\**\s*([a-z]+)/i.exec(text);
  const word = verdictMatch?.[1]?.toLowerCase();
  const verdict: Verdict | undefined =
    word === "yes" || word === "backport" || word === "now"
      ? "yes"
      : word === "wait" || word === "later"
        ? "wait"
        : word === "no" || word === "none"
          ? "no"
          : word === "uncertain" || word === "unsure" || word === "maybe" || word === "ask"
            ? "uncertain"
            : undefined;
  if (!verdict) {
    throw new Error(`the LLM's answer has no VERDICT line: "${text.slice(0, 120)}"`);
  }
  const reasonMatch = /reason\s*[:=-]\s*([\s\S]*)$/i.exec(text);
  const reason = (reasonMatch?.[1] ?? "").replace(/\s+/g, " ").trim().slice(0, MAX_REASON_CHARS);
  return { verdict, reason: reason || "(the LLM gave no reason)" };
}

/**
 * Asks the LLM (the served base model or a persona adapter, any OpenAI-compatible server) for a
 * verdict and a short reason about one commit; greedy decoding, so a rerun gives the same answer.
 *
 * @throws Error when the server fails after the client's retries or answers without a verdict.
 */
export async function askLlmForVerdict(params: {
  client: OpenAI;
  model: string;
  prompts: BackportPrompts;
  context: { repo: string; dev: string; stable: string };
  commit: FeatureInput;
}): Promise<LlmVerdict> {
  const { commit } = params;
  const files = commit.files_changed.slice(0, MAX_LISTED_FILES);
  const filesCount = commit.files_count ?? commit.files_changed.length;
  const user = fillTemplate(params.prompts.commit, {
    subject: commit.subject,
    message: commit.message.slice(0, MAX_MESSAGE_CHARS),
    filesCount: String(filesCount),
    insertions: String(commit.insertions),
    deletions: String(commit.deletions),
    files:
      files.join("\n") +
      (filesCount > files.length ? `\n… and ${filesCount - files.length} more` : ""),
  });
  const system = fillTemplate(params.prompts.system, params.context);
  let completion: OpenAI.Chat.Completions.ChatCompletion;
  try {
    completion = await params.client.chat.completions.create({
      model: params.model,
      messages: [
        { role: "system", content: system },
        { role: "user", content: user },
      ],
      temperature: 0,
      max_tokens: 200,
    });
  } catch (error) {
    throw new Error(
      `The LLM server did not answer for model "${params.model}": ${(error as Error).message}. Check LLM_BASE_URL and the --model name`,
      { cause: error },
    );
  }
  return parseLlmVerdict(completion.choices[0]?.message.content ?? "");
}
