import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Redis } from "ioredis";
import type { HistorySubject } from "./history-records.js";
import { createHistoryStore } from "./store-history.js";

/** A dataset written to disk for the trainer; `remove()` deletes the folder. */
export type MaterialisedDataset = {
  dir: string;
  trainPath: string;
  holdoutPath: string;
  remove(): Promise<void>;
};

/**
 * Writes a collected dataset from Redis to a fresh temporary folder as `train.jsonl` and
 * `holdout.jsonl` (OpenAI chat format, one `{"messages": [...]}` per line) for TorchTune's
 * `chat_dataset` (`source=json`, `conversation_column=messages`, `conversation_style=openai`).
 * The files hold scraped text: call `remove()` when training is done.
 *
 * @throws Error when no dataset is stored (never collected, or expired after HISTORY_TTL_SECONDS).
 */
export async function materialiseDataset(params: {
  redis: Redis;
  keyPrefix: string;
  subject: HistorySubject;
  parentDir?: string;
}): Promise<MaterialisedDataset> {
  const store = createHistoryStore({ ...params, ttlSeconds: 1 });
  const text = await store.loadDatasetText();
  if (!text) {
    const { owner, repo, reviewerLogin } = params.subject;
    throw new Error(
      `No collected dataset for ${reviewerLogin} in ${owner}/${repo} in Redis: it was never collected or expired (HISTORY_TTL_SECONDS); run collectHistory first`,
    );
  }
  const dir = await mkdtemp(join(params.parentDir ?? tmpdir(), "history-"));
  const trainPath = join(dir, "train.jsonl");
  const holdoutPath = join(dir, "holdout.jsonl");
  await writeFile(trainPath, text.train, { mode: 0o600 });
  await writeFile(holdoutPath, text.holdout, { mode: 0o600 });
  return { dir, trainPath, holdoutPath, remove: () => rm(dir, { recursive: true, force: true }) };
}
