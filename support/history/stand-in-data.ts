/** The seeded repository a GitHub stand-in serves: pull requests, reviews, comments, files. */
export type StandInComment = {
  id: string;
  databaseId: number;
  body: string;
  diffHunk: string;
  path: string;
  line: number | null;
  originalLine: number | null;
  startLine: number | null;
  originalStartLine: number | null;
  side: "LEFT" | "RIGHT";
  createdAt: string;
  outdated: boolean;
  commitOid: string;
  originalCommitOid: string;
  replyToId: string | null;
  author: { login: string; type: "User" | "Bot" };
};

export type StandInReview = { id: string; authorLogin: string; comments: StandInComment[] };

export type StandInFile = {
  filename: string;
  status: string;
  patch?: string;
  additions?: number;
  deletions?: number;
  changes?: number;
  previous_filename?: string;
};

export type StandInPull = {
  id: string;
  number: number;
  createdAt: string;
  authorLogin: string;
  reviews: StandInReview[];
  files: StandInFile[];
};

export type StandInRepo = { owner: string; name: string; pulls: StandInPull[] };
