import type { GithubCaller } from "./call-github.js";
import type { HistoryProgress } from "./collect-comments.js";
import { fetchNegativeHunks } from "./fetch-negative-hunks.js";
import type { HistorySubject, NegativeHunks, RawReviewComment } from "./history-records.js";
import type { Checkpoint, HistoryStore } from "./store-history.js";

/**
 * Phase two: fetches the uncommented hunks of the chosen pull requests, one REST request each,
 * skipping those already stored (so a resumed run does not pay twice).
 */
export async function collectNegatives(params: {
  caller: GithubCaller;
  store: HistoryStore;
  subject: HistorySubject;
  checkpoint: Checkpoint;
  pullNumbers: number[];
  rawComments: RawReviewComment[];
  maxHunksPerPull: number;
  keptComments: number;
  reportProgress: (progress: HistoryProgress) => Promise<void> | void;
}): Promise<NegativeHunks[]> {
  const { caller, store } = params;
  const wanted = new Set(params.pullNumbers);
  const negatives = (await store.loadNegatives()).filter((entry) => wanted.has(entry.pullNumber));
  const done = new Set(negatives.map((entry) => entry.pullNumber));
  for (const pullNumber of params.pullNumbers) {
    if (done.has(pullNumber)) continue;
    const entry = await fetchNegativeHunks({
      caller,
      subject: params.subject,
      pullNumber,
      reviewerComments: params.rawComments.filter((comment) => comment.pullNumber === pullNumber),
      maxHunks: params.maxHunksPerPull,
    });
    await store.saveNegatives(entry);
    await store.saveCheckpoint({ ...params.checkpoint, requests: { ...caller.counts } });
    negatives.push(entry);
    await params.reportProgress({
      phase: "negatives",
      prs: negatives.length,
      comments: params.keptComments,
    });
  }
  return negatives;
}
