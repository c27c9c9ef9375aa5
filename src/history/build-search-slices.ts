import type { HistorySubject } from "./history-records.js";

/** GitHub's search returns at most this many results per query, whatever `issueCount` says. */
export const SEARCH_RESULT_CAP = 1000;

/** A closed range of PR creation times, whole seconds, as epoch milliseconds. */
export type SearchSlice = { fromMs: number; toMs: number };

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * The search string for the pull requests a reviewer reviewed in a repository, oldest first,
 * optionally restricted to one creation-time slice (`created:A..B`, both ends inclusive).
 */
export function buildSearchQuery(params: { subject: HistorySubject; slice?: SearchSlice }): string {
  const { owner, repo, reviewerLogin } = params.subject;
  const parts = [
    `repo:${owner}/${repo}`,
    "is:pr",
    `reviewed-by:${reviewerLogin}`,
    "sort:created-asc",
  ];
  if (params.slice) {
    parts.push(`created:${isoSeconds(params.slice.fromMs)}..${isoSeconds(params.slice.toMs)}`);
  }
  return parts.join(" ");
}

function splitSlice(slice: SearchSlice, parts: number): SearchSlice[] {
  const seconds = Math.floor((slice.toMs - slice.fromMs) / 1000) + 1;
  const count = Math.min(parts, seconds);
  const pieces: SearchSlice[] = [];
  let fromSecond = 0;
  for (let index = 0; index < count; index++) {
    const toSecond = Math.floor(((index + 1) * seconds) / count) - 1;
    pieces.push({ fromMs: slice.fromMs + fromSecond * 1000, toMs: slice.fromMs + toSecond * 1000 });
    fromSecond = toSecond + 1;
  }
  return pieces;
}

/**
 * Cuts a creation-time range into consecutive slices that each match at most `cap` pull
 * requests, so every result can be paged through. Oversized slices are split evenly in time
 * (into enough parts that an even spread would fill about two thirds of the cap) and all new
 * slices of one round are counted with one call to `countSlices`. Empty slices are dropped.
 *
 * @throws Error when one second alone holds more than `cap` results (cannot be sliced further).
 */
export async function buildSearchSlices(params: {
  range: SearchSlice;
  totalCount: number;
  cap?: number;
  countSlices: (slices: SearchSlice[]) => Promise<number[]>;
}): Promise<Array<SearchSlice & { count: number }>> {
  const cap = params.cap ?? SEARCH_RESULT_CAP;
  let pending: Array<SearchSlice & { count: number }> = [
    { ...params.range, count: params.totalCount },
  ];
  const done: Array<SearchSlice & { count: number }> = [];
  while (pending.length > 0) {
    const pieces: SearchSlice[] = [];
    for (const slice of pending) {
      if (slice.count <= cap) {
        if (slice.count > 0) done.push(slice);
        continue;
      }
      if (slice.toMs - slice.fromMs < 1000) {
        throw new Error(
          `More than ${cap} pull requests were created in the second ${isoSeconds(slice.fromMs)}: search results cannot be sliced finer`,
        );
      }
      pieces.push(...splitSlice(slice, Math.ceil((slice.count * 1.5) / cap)));
    }
    if (pieces.length === 0) break;
    const counts = await params.countSlices(pieces);
    pending = pieces.map((piece, index) => ({ ...piece, count: counts[index] ?? 0 }));
  }
  return done.sort((left, right) => left.fromMs - right.fromMs);
}
