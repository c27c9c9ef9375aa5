import { schema as githubSchema } from "@octokit/graphql-schema";
import {
  buildClientSchema,
  type FieldNode,
  GraphQLError,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from "graphql";
import type { StandInComment, StandInPull, StandInRepo, StandInReview } from "./stand-in-data.js";

/**
 * The stand-in's GraphQL side: GitHub's published schema and resolvers over seeded data that
 * follow GitHub's connection rules (first/last required for nodes, at most 100, opaque cursors)
 * and search's 1,000-result cap.
 */

let cachedSchema: GraphQLSchema | undefined;
export function loadSchema(): GraphQLSchema {
  // The introspection JSON, not the SDL: GitHub's published SDL defines a few fields twice,
  // which graphql-js rejects; the introspection result is what GitHub itself answers.
  cachedSchema ??= buildClientSchema(githubSchema.json as Parameters<typeof buildClientSchema>[0]);
  return cachedSchema;
}

export const SEARCH_CAP = 1000;

function encodeCursor(index: number): string {
  return Buffer.from(`cursor:v2:${index}`).toString("base64");
}

function decodeCursor(cursor: string): number {
  const match = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, "base64").toString());
  if (!match) throw new GraphQLError(`\`${cursor}\` does not appear to be a valid cursor.`);
  return Number(match[1]);
}

export type PageArgs = { first?: number | null; last?: number | null; after?: string | null };

function selectsNodes(info: GraphQLResolveInfo): boolean {
  const field = info.fieldNodes[0] as FieldNode | undefined;
  return (field?.selectionSet?.selections ?? []).some(
    (selection) => selection.kind === "Field" && ["nodes", "edges"].includes(selection.name.value),
  );
}

export function paginate<T>(
  items: T[],
  args: PageArgs,
  info: GraphQLResolveInfo,
  totalCount = items.length,
) {
  const name = info.fieldName;
  if (selectsNodes(info) && args.first == null && args.last == null) {
    throw new GraphQLError(
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`,
    );
  }
  for (const [key, value] of [
    ["first", args.first],
    ["last", args.last],
  ] as const) {
    if (value != null && (value < 0 || value > 100)) {
      throw new GraphQLError(
        `Requesting ${value} records on the \`${name}\` connection exceeds the \`${key}\` limit of 100 records.`,
      );
    }
  }
  const start = args.after ? decodeCursor(args.after) + 1 : 0;
  const end = Math.min(items.length, start + (args.first ?? 100));
  const nodes = items.slice(start, end);
  return {
    totalCount,
    nodes,
    edges: nodes.map((node, offset) => ({ node, cursor: encodeCursor(start + offset) })),
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: nodes.length > 0 ? encodeCursor(start) : null,
      endCursor: nodes.length > 0 ? encodeCursor(end - 1) : null,
    },
  };
}

function commentObject(comment: StandInComment) {
  return {
    __typename: "PullRequestReviewComment",
    id: comment.id,
    databaseId: comment.databaseId > 2 ** 31 - 1 ? null : comment.databaseId,
    fullDatabaseId: String(comment.databaseId),
    body: comment.body,
    diffHunk: comment.diffHunk,
    path: comment.path,
    line: comment.line,
    originalLine: comment.originalLine,
    startLine: comment.startLine,
    originalStartLine: comment.originalStartLine,
    createdAt: comment.createdAt,
    outdated: comment.outdated,
    commit: { oid: comment.commitOid },
    originalCommit: { oid: comment.originalCommitOid },
    replyTo: comment.replyToId
      ? { __typename: "PullRequestReviewComment", id: comment.replyToId }
      : null,
    author: { __typename: comment.author.type, login: comment.author.login },
  };
}

export function reviewObject(review: StandInReview) {
  return {
    __typename: "PullRequestReview",
    id: review.id,
    author: { __typename: "User", login: review.authorLogin },
    comments: (args: PageArgs, _context: unknown, info: GraphQLResolveInfo) =>
      paginate(review.comments.map(commentObject), args, info),
  };
}

export function pullObject(pull: StandInPull) {
  return {
    __typename: "PullRequest",
    id: pull.id,
    number: pull.number,
    createdAt: pull.createdAt,
    author: { __typename: "User", login: pull.authorLogin },
    reviews: (
      args: PageArgs & { author?: string | null },
      _context: unknown,
      info: GraphQLResolveInfo,
    ) => {
      const reviews = args.author
        ? pull.reviews.filter(
            (review) => review.authorLogin.toLowerCase() === args.author?.toLowerCase(),
          )
        : pull.reviews;
      return paginate(reviews.map(reviewObject), args, info);
    },
  };
}

function parseCreatedRange(value: string): [number, number] {
  const [from = "", to = ""] = value.split("..");
  const end = to.length === 10 ? Date.parse(`${to}T23:59:59Z`) : Date.parse(to);
  return [Date.parse(from), end];
}

/** GitHub's search over the seeded pull requests: the qualifiers the history stage uses. */
export function searchPulls(repo: StandInRepo, query: string): StandInPull[] {
  let pulls = repo.pulls;
  let ascending = false;
  for (const token of query.split(/\s+/).filter(Boolean)) {
    const [qualifier, ...rest] = token.split(":");
    const value = rest.join(":");
    if (qualifier === "repo" && value.toLowerCase() !== `${repo.owner}/${repo.name}`.toLowerCase())
      return [];
    if (qualifier === "reviewed-by") {
      pulls = pulls.filter((pull) =>
        pull.reviews.some((review) => review.authorLogin.toLowerCase() === value.toLowerCase()),
      );
    }
    if (qualifier === "created") {
      const [from, to] = parseCreatedRange(value);
      pulls = pulls.filter((pull) => {
        const created = Date.parse(pull.createdAt);
        return created >= from && created <= to;
      });
    }
    if (qualifier === "sort") ascending = value === "created-asc";
  }
  return [...pulls].sort((left, right) =>
    ascending
      ? left.createdAt.localeCompare(right.createdAt)
      : right.createdAt.localeCompare(left.createdAt),
  );
}

export function restComment(comment: StandInComment, pull: StandInPull, review: StandInReview) {
  return {
    id: comment.databaseId,
    node_id: comment.id,
    pull_request_review_id: Number(review.id.replace(/\D/g, "")),
    diff_hunk: comment.diffHunk,
    path: comment.path,
    commit_id: comment.commitOid,
    original_commit_id: comment.originalCommitOid,
    user: { login: comment.author.login, type: comment.author.type },
    body: comment.body,
    created_at: comment.createdAt,
    updated_at: comment.createdAt,
    line: comment.line,
    original_line: comment.originalLine,
    start_line: comment.startLine,
    original_start_line: comment.originalStartLine,
    side: comment.side,
    pull_request_url: `https://api.github.com/repos/o/r/pulls/${pull.number}`,
  };
}
