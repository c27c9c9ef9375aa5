import { codeTokens } from "./code-tokens.js";
import { type PrecedentQuery, pickPrecedents } from "./pick-precedents.js";
import type { Precedent, PrecedentIndex } from "./precedent-index.js";
import { type Bm25Index, buildBm25Index } from "./rank-bm25.js";

/** BM25 statistics per index object, built on first use: an index is read once per review. */
const bm25ByIndex = new WeakMap<PrecedentIndex, Bm25Index>();

/** What a precedent is matched on: its path and its code. */
export function precedentTokens(params: { path: string; code: string }): string[] {
  return codeTokens(`${params.path}\n${params.code}`);
}

/** BM25 scores of every precedent of `index` for a hunk's path and code. */
export function scorePrecedentsBm25(
  index: PrecedentIndex,
  query: { path: string; code: string },
): number[] {
  let bm25 = bm25ByIndex.get(index);
  if (!bm25) {
    bm25 = buildBm25Index(index.precedents.map(precedentTokens));
    bm25ByIndex.set(index, bm25);
  }
  return bm25.score(precedentTokens(query));
}

/**
 * The reviewer's `k` nearest precedents for a hunk: BM25 over code tokens (what
 * `npm run bench:retrieval` measured best; docs/retrieval/), then {@link pickPrecedents}' rules
 * (earlier only, never itself or its pull request, same file or directory first when as close).
 */
export function findPrecedents(params: {
  index: PrecedentIndex;
  query: PrecedentQuery & { code: string };
  k: number;
}): Precedent[] {
  return pickPrecedents({
    precedents: params.index.precedents,
    scores: scorePrecedentsBm25(params.index, params.query),
    query: params.query,
    k: params.k,
  });
}
