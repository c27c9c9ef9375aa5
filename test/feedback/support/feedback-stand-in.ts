import { parse, validate } from "graphql";
import type { FakeGitHub } from "../../../support/fake-github.js";
import { loadSchema } from "../../../support/history/stand-in-resolvers.js";

/** What GitHub knows about one review thread of ours. */
export interface StandInThread {
  rootCommentId: number;
  isResolved: boolean;
  isOutdated: boolean;
  reactions: Record<string, number>;
}

/**
 * GitHub's side of the feedback loop on the stand-in: the GraphQL endpoint (every query is
 * validated against GitHub's published schema; a bad one is a violation) answering thread states
 * and reactions from `threads`, and the compare endpoint answering `compares[basehead]`.
 */
export function serveFeedbackEndpoints(github: FakeGitHub) {
  const threads = new Map<number, StandInThread>();
  const compares = new Map<string, { files: unknown[] }>();
  const pull = { state: "OPEN", headRefOid: "b".repeat(40) };
  const schema = loadSchema();
  github.on("POST /graphql", (request) => {
    const { query } = request.body as { query: string };
    const errors = validate(schema, parse(query));
    if (errors.length > 0) {
      github.violations.push(...errors.map((error) => `GraphQL: ${error.message}`));
      return { body: { errors: errors.map((error) => ({ message: error.message })) } };
    }
    return {
      body: {
        data: {
          repository: {
            pullRequest: {
              state: pull.state,
              headRefOid: pull.headRefOid,
              reviewThreads: {
                nodes: [...threads.values()].map((thread) => ({
                  isResolved: thread.isResolved,
                  isOutdated: thread.isOutdated,
                  comments: {
                    nodes: [
                      {
                        databaseId: thread.rootCommentId,
                        reactionGroups: [
                          "THUMBS_UP",
                          "THUMBS_DOWN",
                          "LAUGH",
                          "HOORAY",
                          "CONFUSED",
                          "HEART",
                          "ROCKET",
                          "EYES",
                        ].map((content) => ({
                          content,
                          reactors: { totalCount: thread.reactions[content] ?? 0 },
                        })),
                      },
                    ],
                  },
                })),
              },
            },
          },
          rateLimit: { cost: 1, remaining: 4999 },
        },
      },
    };
  });
  github.on("GET /repos/{owner}/{repo}/compare/{basehead}", (request) => {
    const basehead = decodeURIComponent(request.pathname.split("/").at(-1) ?? "");
    const found = compares.get(basehead);
    return found
      ? { body: { status: "ahead", ...found } }
      : { status: 404, body: { message: "Not Found" } };
  });
  return { threads, compares, pull, graphqlCalls: () => github.calls("POST /graphql").length };
}
