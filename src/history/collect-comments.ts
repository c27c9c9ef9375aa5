import type { Logger } from "pino";
import { z } from "zod";
import {
  buildSearchQuery,
  buildSearchSlices,
  SEARCH_RESULT_CAP,
  type SearchSlice,
} from "./build-search-slices.js";
import type { GithubCaller, SubjectQuery } from "./call-github.js";
import { fetchFollowUps } from "./fetch-review-comments.js";
import { fetchReviewedPullPage, type ReviewedPullPage } from "./fetch-reviewed-prs.js";
import { buildCountQuery } from "./graphql-queries.js";
import type { HistorySubject } from "./history-records.js";
import type { Checkpoint, HistoryStore } from "./store-history.js";

/**
 * Progress of a collection, for the status comment (the caller throttles its edits). In the
 * `comments` phase: pull requests and raw comments collected so far; in the `negatives` phase:
 * pull requests whose files were fetched so far, and the comments kept after cleaning.
 */
export type HistoryProgress = {
  phase: "comments" | "negatives";
  prs: number;
  comments: number;
};

/**
 * What both collection phases (comments, then negatives) work with: GitHub and the subject, the
 * store each page is saved to, the checkpoint to resume from, and where progress is reported.
 */
export interface CollectionPhase extends SubjectQuery {
  store: HistoryStore;
  checkpoint: Checkpoint;
  reportProgress: (progress: HistoryProgress) => Promise<void> | void;
}

async function countSlices(caller: GithubCaller, subject: HistorySubject, slices: SearchSlice[]) {
  const { query, variables } = buildCountQuery(
    slices.map((slice) => buildSearchQuery({ subject, slice })),
  );
  const data = z.record(z.string(), z.unknown()).parse(await caller.graphql(query, variables));
  return slices.map(
    (_slice, index) => z.object({ issueCount: z.number() }).parse(data[`c${index}`]).issueCount,
  );
}

/**
 * Phase one: pages through the pull requests the reviewer reviewed (sliced by creation time when
 * the search matches more than GitHub's 1,000-result cap), with every nested page, storing each
 * page in Redis before moving the checkpoint past it — so after a crash at most one page is
 * fetched again, and storing it again is harmless.
 */
export async function collectReviewComments(
  params: CollectionPhase & { pageSize: number; clockNow: () => number; log: Logger },
): Promise<Checkpoint> {
  const { caller, store, subject, log } = params;
  let checkpoint = params.checkpoint;
  const save = async (next: Checkpoint) => {
    checkpoint = { ...next, requests: { ...caller.counts } };
    await store.saveCheckpoint(checkpoint);
  };
  const storePage = async (page: ReviewedPullPage) => {
    const more = await fetchFollowUps({
      caller,
      followUps: page.followUps,
      reviewerLogin: subject.reviewerLogin,
    });
    await store.savePage({ pulls: page.pulls, comments: [...page.comments, ...more] });
    await params.reportProgress({ phase: "comments", ...(await store.countCollected()) });
  };
  const fetchPage = (search: string, after: string | null) =>
    fetchReviewedPullPage({
      caller,
      search,
      after,
      pageSize: params.pageSize,
      reviewerLogin: subject.reviewerLogin,
    });

  if (checkpoint.searches === null) {
    const wholeSearch = buildSearchQuery({ subject });
    const first = await fetchPage(wholeSearch, null);
    if (first.issueCount <= SEARCH_RESULT_CAP) {
      await storePage(first);
      await save({
        ...checkpoint,
        searches: [wholeSearch],
        searchIndex: first.hasNextPage ? 0 : 1,
        cursor: first.hasNextPage ? first.endCursor : null,
      });
    } else {
      // Sorted oldest first, so the first result bounds the range to slice.
      const oldest = Date.parse(first.pulls[0]?.createdAt ?? "2008-01-01T00:00:00Z");
      const slices = await buildSearchSlices({
        range: { fromMs: Math.floor(oldest / 1000) * 1000, toMs: params.clockNow() },
        totalCount: first.issueCount,
        countSlices: (pieces) => countSlices(caller, subject, pieces),
      });
      log.info(
        { pulls: first.issueCount, slices: slices.length },
        "search exceeds 1,000 results, sliced by date",
      );
      await save({
        ...checkpoint,
        searches: slices.map((slice) => buildSearchQuery({ subject, slice })),
        searchIndex: 0,
        cursor: null,
      });
    }
  }
  const searches = checkpoint.searches ?? [];
  for (
    let search = searches[checkpoint.searchIndex];
    search !== undefined;
    search = searches[checkpoint.searchIndex]
  ) {
    const page = await fetchPage(search, checkpoint.cursor);
    await storePage(page);
    await save(
      page.hasNextPage
        ? { ...checkpoint, cursor: page.endCursor }
        : { ...checkpoint, searchIndex: checkpoint.searchIndex + 1, cursor: null },
    );
  }
  await save({ ...checkpoint, commentsDone: true });
  return checkpoint;
}
