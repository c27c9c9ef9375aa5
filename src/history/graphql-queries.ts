/**
 * The GraphQL documents of the history collector. Every query also asks for `rateLimit` so the
 * caller can pause before the budget runs out.
 */

const commentFields = `
fragment CommentFields on PullRequestReviewComment {
  id
  fullDatabaseId
  body
  diffHunk
  path
  line
  originalLine
  startLine
  originalStartLine
  createdAt
  outdated
  commit { oid }
  originalCommit { oid }
  replyTo { id }
  author { __typename login }
}`;

const reviewFields = `
fragment ReviewFields on PullRequestReview {
  id
  comments(first: $commentsPageSize) {
    pageInfo { hasNextPage endCursor }
    nodes { ...CommentFields }
  }
}`;

const pullFields = `
fragment PullFields on PullRequest {
  id
  number
  createdAt
  author { login }
  reviews(author: $reviewer, first: $reviewsPageSize) {
    pageInfo { hasNextPage endCursor }
    nodes { ...ReviewFields }
  }
}`;

/**
 * One page of pull requests matching a search, each with the reviewer's reviews and their
 * comments, so most of a history arrives in the search pages themselves.
 */
export const searchPageQuery = `
query ReviewedPulls($search: String!, $after: String, $pageSize: Int!, $reviewer: String!, $reviewsPageSize: Int!, $commentsPageSize: Int!) {
  rateLimit { cost remaining resetAt }
  search(query: $search, type: ISSUE, first: $pageSize, after: $after) {
    issueCount
    pageInfo { hasNextPage endCursor }
    nodes { ...PullFields }
  }
}
${pullFields}
${reviewFields}
${commentFields}`;

/** A nested connection that filled up and needs its next page. */
export type FollowUp =
  | { kind: "reviews"; pullId: string; pullNumber: number; after: string }
  | { kind: "comments"; reviewId: string; pullNumber: number; after: string };

/**
 * One query that continues many filled-up connections at once through aliased `node(id:)`
 * lookups: more reviews of a pull request, or more comments of a review. Only the fragments and
 * variables the batch uses are declared (GraphQL rejects unused ones).
 */
export function buildFollowUpQuery(params: {
  followUps: FollowUp[];
  reviewerLogin: string;
  reviewsPageSize: number;
  commentsPageSize: number;
}): { query: string; variables: Record<string, unknown> } {
  const hasReviews = params.followUps.some((followUp) => followUp.kind === "reviews");
  const declarations: string[] = ["$commentsPageSize: Int!"];
  const variables: Record<string, unknown> = { commentsPageSize: params.commentsPageSize };
  if (hasReviews) {
    declarations.push("$reviewer: String!", "$reviewsPageSize: Int!");
    variables.reviewer = params.reviewerLogin;
    variables.reviewsPageSize = params.reviewsPageSize;
  }
  const selections = params.followUps.map((followUp, index) => {
    declarations.push(`$id${index}: ID!`, `$after${index}: String`);
    variables[`id${index}`] = followUp.kind === "reviews" ? followUp.pullId : followUp.reviewId;
    variables[`after${index}`] = followUp.after;
    return followUp.kind === "reviews"
      ? `f${index}: node(id: $id${index}) { ... on PullRequest { id reviews(author: $reviewer, first: $reviewsPageSize, after: $after${index}) { pageInfo { hasNextPage endCursor } nodes { ...ReviewFields } } } }`
      : `f${index}: node(id: $id${index}) { ... on PullRequestReview { id comments(first: $commentsPageSize, after: $after${index}) { pageInfo { hasNextPage endCursor } nodes { ...CommentFields } } } }`;
  });
  const query = `
query FollowUps(${declarations.join(", ")}) {
  rateLimit { cost remaining resetAt }
  ${selections.join("\n  ")}
}
${hasReviews ? reviewFields : ""}
${commentFields}`;
  return { query, variables };
}

/** One query counting the results of several searches (`issueCount` needs no page). */
export function buildCountQuery(searches: string[]): {
  query: string;
  variables: Record<string, unknown>;
} {
  const declarations = searches.map((_search, index) => `$q${index}: String!`);
  const selections = searches.map(
    (_search, index) => `c${index}: search(query: $q${index}, type: ISSUE) { issueCount }`,
  );
  const variables = Object.fromEntries(searches.map((search, index) => [`q${index}`, search]));
  const query = `
query CountReviewedPulls(${declarations.join(", ")}) {
  rateLimit { cost remaining resetAt }
  ${selections.join("\n  ")}
}`;
  return { query, variables };
}
