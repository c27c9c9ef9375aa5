import type {
  StandInComment,
  StandInFile,
  StandInPull,
  StandInRepo,
  StandInReview,
} from "./stand-in-data.js";

/** A small deterministic PRNG (mulberry32) so seeded repositories are the same on every run. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (low: number, high: number) => low + Math.floor(next() * (high - low + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  };
}

type Random = ReturnType<typeof createRandom>;

type HunkRow = { marker: " " | "+" | "-"; text: string; oldLine?: number; newLine?: number };
type SeedHunk = { header: string; rows: HunkRow[] };

const words = [
  "total",
  "items",
  "price",
  "count",
  "user",
  "cache",
  "retry",
  "index",
  "value",
  "config",
];

function makeHunk(random: Random, start: number): SeedHunk {
  const rows: HunkRow[] = [];
  let oldLine = start;
  let newLine = start;
  const context = (count: number) => {
    for (let index = 0; index < count; index++) {
      rows.push({
        marker: " ",
        text: `  const ${random.pick(words)}${oldLine} = ${random.pick(words)}();`,
        oldLine: oldLine++,
        newLine: newLine++,
      });
    }
  };
  context(3);
  for (let index = random.int(0, 2); index > 0; index--) {
    rows.push({
      marker: "-",
      text: `  let ${random.pick(words)} = ${oldLine};`,
      oldLine: oldLine++,
    });
  }
  for (let index = random.int(1, 3); index > 0; index--) {
    rows.push({
      marker: "+",
      text: `  let ${random.pick(words)} = compute(${newLine});`,
      newLine: newLine++,
    });
  }
  context(3);
  const oldCount = rows.filter((row) => row.marker !== "+").length;
  const newCount = rows.filter((row) => row.marker !== "-").length;
  return {
    header: `@@ -${start},${oldCount} +${start},${newCount} @@ function ${random.pick(words)}() {`,
    rows,
  };
}

function patchOf(hunk: SeedHunk, upTo = hunk.rows.length): string {
  return [hunk.header, ...hunk.rows.slice(0, upTo).map((row) => `${row.marker}${row.text}`)].join(
    "\n",
  );
}

/** Bodies a reviewer writes; some are content-free on purpose so cleaning has work to do. */
const bodies = [
  "Could this use a Map instead? Lookups here are linear.",
  "nit: this name does not say what it holds",
  "Why do we retry here? The caller already does.",
  "Please add a test for the empty list.",
  "```suggestion\n  const total = items.reduce((sum, item) => sum + item.price, 0);\n```",
  "This will throw when `items` is undefined.",
  "LGTM",
  "👍",
];

export type SeedOptions = {
  owner: string;
  name: string;
  target: string;
  targetComments: number;
  targetPulls: number;
  totalComments: number;
  otherReviewers: number;
  /** Pull requests with no target review, to make the repository bigger than the target's part. */
  otherPulls: number;
  seed?: number;
  /** Give one target review this many comments (exercises comment paging). */
  bigReviewComments?: number;
  /** Give one pull request this many target reviews (exercises review paging). */
  manyReviews?: number;
  startMs?: number;
  /** Share of the target's ordinary comments that are replies in a thread (default 0). */
  replyShare?: number;
};

/**
 * Seeds a repository: `targetPulls` pull requests reviewed by `target` holding
 * `targetComments` of their comments, other reviewers' comments up to `totalComments` spread
 * over all pull requests, every comment's hunk cut after its line the way GitHub's `diff_hunk` is.
 */
export function seedRepository(options: SeedOptions): StandInRepo {
  const random = createRandom(options.seed ?? 7);
  const startMs = options.startMs ?? Date.parse("2022-01-01T00:00:00Z");
  const pullCount = options.targetPulls + options.otherPulls;
  const hourMs = 3_600_000;
  let nextDatabaseId = 1;
  let nextReviewId = 1;
  const pulls: Array<StandInPull & { hunks: Array<{ path: string; hunk: SeedHunk }> }> = [];
  for (let index = 0; index < pullCount; index++) {
    const number = index + 1;
    const files: StandInFile[] = [];
    const hunks: Array<{ path: string; hunk: SeedHunk }> = [];
    for (let fileIndex = random.int(1, 4); fileIndex > 0; fileIndex--) {
      const path = `src/${random.pick(words)}/${random.pick(words)}-${number}-${fileIndex}.ts`;
      const fileHunks = [makeHunk(random, random.int(1, 20)), makeHunk(random, random.int(60, 90))];
      files.push({
        filename: path,
        status: "modified",
        patch: fileHunks.map((hunk) => patchOf(hunk)).join("\n"),
      });
      for (const hunk of fileHunks) hunks.push({ path, hunk });
    }
    files.push({ filename: `assets/logo-${number}.png`, status: "added" });
    pulls.push({
      id: `PR_kw${number.toString(36).padStart(6, "0")}`,
      number,
      createdAt: new Date(startMs + index * 5 * hourMs).toISOString().replace(/\.\d{3}Z$/, "Z"),
      authorLogin: `author${index % 17}`,
      reviews: [],
      files,
      hunks,
    });
  }
  const makeComment = (
    pull: (typeof pulls)[number],
    login: string,
    commentIndex: number,
  ): StandInComment => {
    const { path, hunk } = random.pick(pull.hunks);
    const rowIndex = random.int(0, hunk.rows.length - 1);
    const row = hunk.rows[rowIndex] as HunkRow;
    const side = row.marker === "-" ? "LEFT" : "RIGHT";
    const lineNumber = (side === "LEFT" ? row.oldLine : row.newLine) ?? 1;
    const outdated = random.next() < 0.1;
    const databaseId = nextDatabaseId++;
    return {
      id: `PRRC_kw${databaseId.toString(36).padStart(6, "0")}`,
      databaseId,
      body: bodies[commentIndex % bodies.length] as string,
      diffHunk: patchOf(hunk, rowIndex + 1),
      path,
      line: outdated ? null : lineNumber,
      originalLine: lineNumber,
      startLine: null,
      originalStartLine: null,
      side,
      createdAt: new Date(Date.parse(pull.createdAt) + (commentIndex + 1) * 60_000)
        .toISOString()
        .replace(/\.\d{3}Z$/, "Z"),
      outdated,
      commitOid: "a".repeat(40),
      originalCommitOid: "b".repeat(40),
      replyToId: null,
      author: { login, type: "User" },
    };
  };
  const addReview = (pull: StandInPull, login: string): StandInReview => {
    const review = {
      id: `PRR_kw${(nextReviewId++).toString(36).padStart(6, "0")}`,
      authorLogin: login,
      comments: [],
    };
    pull.reviews.push(review);
    return review;
  };

  // The target's pull requests are spread over the whole timeline.
  const step = pullCount / options.targetPulls;
  const targetPulls = Array.from(
    { length: options.targetPulls },
    (_unused, index) => pulls[Math.floor(index * step)] as (typeof pulls)[number],
  );
  let placed = 0;
  const [firstPull, secondPull] = targetPulls;
  if (firstPull && options.bigReviewComments) {
    const review = addReview(firstPull, options.target);
    for (let count = 0; count < options.bigReviewComments; count++) {
      review.comments.push(makeComment(firstPull, options.target, placed++));
    }
  }
  if (secondPull && options.manyReviews) {
    for (let count = 0; count < options.manyReviews; count++) {
      addReview(secondPull, options.target).comments.push(
        makeComment(secondPull, options.target, placed++),
      );
    }
  }
  const ordinary = targetPulls.slice(
    (options.bigReviewComments ? 1 : 0) + (options.manyReviews ? 1 : 0),
  );
  const rest = options.targetComments - placed;
  for (const [index, pull] of ordinary.entries()) {
    const share = Math.floor(rest / ordinary.length) + (index < rest % ordinary.length ? 1 : 0);
    const reviews = [addReview(pull, options.target)];
    if (share > 3) reviews.push(addReview(pull, options.target));
    for (let count = 0; count < share; count++) {
      const review = reviews[count % reviews.length] as StandInReview;
      const comment = makeComment(pull, options.target, placed++);
      // Now and then the reviewer answers in an existing thread (a reply, not a new comment).
      const thread = review.comments[0];
      if (thread && random.next() < (options.replyShare ?? 0)) comment.replyToId = thread.id;
      review.comments.push(comment);
    }
  }
  const others = Array.from(
    { length: options.otherReviewers },
    (_unused, index) => `reviewer${index}`,
  );
  let remainingOthers = options.totalComments - options.targetComments;
  let pullIndex = 0;
  while (remainingOthers > 0) {
    const pull = pulls[pullIndex % pulls.length] as (typeof pulls)[number];
    pullIndex += 1;
    const review = addReview(pull, random.pick(others));
    for (let count = Math.min(remainingOthers, random.int(1, 8)); count > 0; count--) {
      review.comments.push(makeComment(pull, review.authorLogin, random.int(0, 100)));
      remainingOthers--;
    }
  }
  return {
    owner: options.owner,
    name: options.name,
    pulls: pulls.map(({ hunks: _hunks, ...pull }) => pull),
  };
}
