import type { CollectionPhase } from "./collect-comments.js";
import { fetchPullFiles, negativeHunksFromFiles } from "./fetch-negative-hunks.js";
import type { NegativeHunks, PullFiles, RawReviewComment } from "./history-records.js";

/**
 * Phase two: fetches the file listings of the chosen pull requests, one REST request each,
 * skipping those already stored (so a resumed run does not pay twice). `pullNumbers` give the
 * uncommented hunks ("negatives"); `filePullNumbers` keep every hunk for the where-model. A pull
 * request in both costs one request.
 */
export async function collectNegatives(
  params: CollectionPhase & {
    pullNumbers: number[];
    filePullNumbers: number[];
    rawComments: RawReviewComment[];
    maxHunksPerPull: number;
    keptComments: number;
  },
): Promise<{ negatives: NegativeHunks[]; pullFiles: PullFiles[] }> {
  const { caller, store } = params;
  const wanted = new Set(params.pullNumbers);
  const wantedFiles = new Set(params.filePullNumbers);
  const negatives = (await store.loadNegatives()).filter((entry) => wanted.has(entry.pullNumber));
  const pullFiles = (await store.loadPullFiles()).filter((entry) =>
    wantedFiles.has(entry.pullNumber),
  );
  const done = new Set(negatives.map((entry) => entry.pullNumber));
  const filesDone = new Map(pullFiles.map((entry) => [entry.pullNumber, entry]));
  const order = [...new Set([...params.pullNumbers, ...params.filePullNumbers])];
  for (const pullNumber of order) {
    const needsNegatives = wanted.has(pullNumber) && !done.has(pullNumber);
    const needsFiles = wantedFiles.has(pullNumber) && !filesDone.has(pullNumber);
    if (!needsNegatives && !needsFiles) continue;
    const files =
      filesDone.get(pullNumber) ??
      (await fetchPullFiles({ caller, subject: params.subject, pullNumber }));
    if (needsFiles) {
      await store.savePullFiles(files);
      filesDone.set(pullNumber, files);
      pullFiles.push(files);
    }
    if (needsNegatives) {
      const entry = negativeHunksFromFiles({
        pullFiles: files,
        reviewerComments: params.rawComments.filter((comment) => comment.pullNumber === pullNumber),
        maxHunks: params.maxHunksPerPull,
      });
      await store.saveNegatives(entry);
      negatives.push(entry);
    }
    await store.saveCheckpoint({ ...params.checkpoint, requests: { ...caller.counts } });
    await params.reportProgress({
      phase: "negatives",
      prs: new Set([...done, ...negatives.map((entry) => entry.pullNumber), ...filesDone.keys()])
        .size,
      comments: params.keptComments,
    });
  }
  return { negatives, pullFiles };
}
