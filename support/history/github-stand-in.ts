import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { execute, GraphQLError, type GraphQLResolveInfo, parse, validate } from "graphql";
import { rebuildFileDiff } from "../../src/review/fetch-pull-diff.js";
import type { FakeGitHub, RecordedRequest } from "../fake-github.js";
import type { StandInRepo } from "./stand-in-data.js";
import {
  loadSchema,
  type PageArgs,
  paginate,
  pullObject,
  restComment,
  reviewObject,
  SEARCH_CAP,
  searchPulls,
} from "./stand-in-resolvers.js";

/**
 * A stand-in for GitHub over real local HTTP: GraphQL queries are validated against GitHub's
 * published schema (@octokit/graphql-schema) and executed by graphql-js over seeded data, with
 * GitHub's connection rules (first/last required for nodes, at most 100) and search's
 * 1,000-result cap; the REST routes the history stage and the naive listing use are served too,
 * and a pull request's diff (`GET /pulls/{n}` with the diff media type) as GitHub builds it from
 * the same files.
 */

export type LoggedRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  operationName?: string;
  variables?: Record<string, unknown>;
  faulted: boolean;
};

export type Fault = {
  on: "graphql" | "rest";
  /** Let this many matching requests through first (default 0: the next one fails). */
  skip?: number;
  status: number;
  headers?: Record<string, string>;
  body: unknown;
};

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Starts the stand-in on 127.0.0.1:0. `now` is the clock for `x-ratelimit-reset` and
 * `rateLimit.resetAt` (share the test's fake clock). Queue faults to answer the next matching
 * request with an error instead (rate limits, crashes).
 */
export async function startGithubStandIn(params: {
  repo: StandInRepo;
  token?: string;
  now?: () => number;
  rateLimitRemaining?: number;
}) {
  const { repo } = params;
  const now = params.now ?? Date.now;
  const token = params.token ?? "test-token";
  const schema = loadSchema();
  const requests: LoggedRequest[] = [];
  const faults: Fault[] = [];
  let remaining = params.rateLimitRemaining ?? 5000;
  // GitHub's budget is per hour: a window opens with the first request and resets an hour later.
  let windowResetMs = Math.ceil((now() + 3_600_000) / 1000) * 1000;
  const resetAtMs = () => {
    if (now() >= windowResetMs) {
      remaining = 5000;
      windowResetMs = Math.ceil((now() + 3_600_000) / 1000) * 1000;
    }
    return windowResetMs;
  };
  const pullsById = new Map(repo.pulls.map((pull) => [pull.id, pull]));
  const reviewsById = new Map(
    repo.pulls.flatMap((pull) => pull.reviews.map((review) => [review.id, review] as const)),
  );
  const flatComments = repo.pulls.flatMap((pull) =>
    pull.reviews.flatMap((review) => review.comments.map((comment) => ({ comment, pull, review }))),
  );
  flatComments.sort((left, right) => left.comment.databaseId - right.comment.databaseId);

  const rootValue = {
    rateLimit: () => ({
      cost: 1,
      limit: 5000,
      nodeCount: 0,
      remaining,
      used: 5000 - remaining,
      resetAt: new Date(resetAtMs()).toISOString(),
    }),
    search: (
      args: PageArgs & { query: string; type: string },
      _context: unknown,
      info: GraphQLResolveInfo,
    ) => {
      if (args.type !== "ISSUE")
        throw new GraphQLError("The stand-in only serves type: ISSUE searches");
      const matches = searchPulls(repo, args.query);
      const page = paginate(
        matches.slice(0, SEARCH_CAP).map(pullObject),
        args,
        info,
        matches.length,
      );
      return { ...page, issueCount: matches.length };
    },
    node: (args: { id: string }) => {
      const pull = pullsById.get(args.id);
      if (pull) return pullObject(pull);
      const review = reviewsById.get(args.id);
      return review ? reviewObject(review) : null;
    },
  };

  function send(
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) {
    response.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": String(Math.max(0, remaining)),
      "x-ratelimit-reset": String(resetAtMs() / 1000),
      ...headers,
    });
    response.end(JSON.stringify(body));
  }

  async function handleGraphql(body: string, response: ServerResponse, logged: LoggedRequest) {
    const { query, variables } = JSON.parse(body) as {
      query: string;
      variables?: Record<string, unknown>;
    };
    logged.variables = variables ?? {};
    let document: ReturnType<typeof parse>;
    try {
      document = parse(query);
    } catch (error) {
      return send(response, 200, { errors: [{ message: (error as Error).message }] });
    }
    const operation = document.definitions.find(
      (definition) => definition.kind === "OperationDefinition",
    );
    if (operation?.kind === "OperationDefinition" && operation.name)
      logged.operationName = operation.name.value;
    const validationErrors = validate(schema, document);
    if (validationErrors.length > 0) {
      return send(response, 200, {
        errors: validationErrors.map((error) => ({ message: error.message })),
      });
    }
    remaining -= 1;
    const result = await execute({ schema, document, rootValue, variableValues: variables ?? {} });
    send(
      response,
      200,
      result.errors
        ? {
            data: result.data,
            errors: result.errors.map((error) => ({ message: error.message, path: error.path })),
          }
        : { data: result.data },
    );
  }

  function sendDiff(response: ServerResponse, pullNumber: number) {
    const pull = repo.pulls.find((candidate) => candidate.number === pullNumber);
    if (!pull || pull.files.length === 0) return send(response, 404, { message: "Not Found" });
    remaining -= 1;
    const diff = pull.files
      .flatMap((file) =>
        file.patch === undefined ? [] : [rebuildFileDiff({ ...file, patch: file.patch })],
      )
      .join("");
    response.writeHead(200, {
      "content-type": "application/vnd.github.diff; charset=utf-8",
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": String(Math.max(0, remaining)),
      "x-ratelimit-reset": String(resetAtMs() / 1000),
    });
    response.end(diff);
  }

  function handleRest(url: URL, response: ServerResponse, accept: string) {
    const pullPath = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/.exec(url.pathname);
    if (pullPath && accept.includes("diff")) return sendDiff(response, Number(pullPath[3]));
    const perPage = Math.min(100, Number(url.searchParams.get("per_page") ?? 30));
    const page = Number(url.searchParams.get("page") ?? 1);
    const files = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/files$/.exec(url.pathname);
    if (files) {
      const pull = repo.pulls.find((candidate) => candidate.number === Number(files[3]));
      if (!pull) return send(response, 404, { message: "Not Found" });
      remaining -= 1;
      return send(
        response,
        200,
        pull.files.slice((page - 1) * perPage, page * perPage).map((file) => ({
          sha: "0".repeat(40),
          additions: 1,
          deletions: 1,
          changes: 2,
          ...file,
        })),
      );
    }
    if (/^\/repos\/[^/]+\/[^/]+\/pulls\/comments$/.test(url.pathname)) {
      remaining -= 1;
      const slice = flatComments.slice((page - 1) * perPage, page * perPage);
      const last = Math.ceil(flatComments.length / perPage);
      const link =
        page < last
          ? {
              link: `<${url.origin}${url.pathname}?per_page=${perPage}&page=${page + 1}>; rel="next", <${url.origin}${url.pathname}?per_page=${perPage}&page=${last}>; rel="last"`,
            }
          : {};
      return send(
        response,
        200,
        slice.map(({ comment, pull, review }) => restComment(comment, pull, review)),
        link,
      );
    }
    return send(response, 404, {
      message: "Not Found",
      documentation_url: "https://docs.github.com/rest",
    });
  }

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", `http://${request.headers.host ?? "127.0.0.1"}`);
    const isGraphql = request.method === "POST" && url.pathname === "/graphql";
    const logged: LoggedRequest = {
      method: request.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      faulted: false,
    };
    requests.push(logged);
    const body = await readBody(request);
    const authorization = request.headers.authorization ?? "";
    if (authorization !== `token ${token}` && authorization !== `bearer ${token}`) {
      return send(response, 401, { message: "Bad credentials" });
    }
    resetAtMs();
    const faultIndex = faults.findIndex((fault) => fault.on === (isGraphql ? "graphql" : "rest"));
    const pendingFault = faults[faultIndex];
    if (pendingFault?.skip) {
      pendingFault.skip -= 1;
    } else if (faultIndex >= 0) {
      const [fault] = faults.splice(faultIndex, 1);
      logged.faulted = true;
      if (isGraphql) {
        const parsed = JSON.parse(body) as { query: string; variables?: Record<string, unknown> };
        logged.variables = parsed.variables ?? {};
        const operationName = /^\s*query\s+(\w+)/.exec(parsed.query)?.[1];
        if (operationName) logged.operationName = operationName;
      }
      return send(response, fault?.status ?? 500, fault?.body, fault?.headers);
    }
    try {
      if (isGraphql) await handleGraphql(body, response, logged);
      else if (request.method === "GET") handleRest(url, response, request.headers.accept ?? "");
      else send(response, 404, { message: "Not Found" });
    } catch (error) {
      send(response, 500, { message: (error as Error).message });
    }
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    requests,
    /** Answer the next request of this kind with this error instead. */
    fault(fault: Fault) {
      faults.push(fault);
    },
    setRateLimitRemaining(value: number) {
      resetAtMs();
      remaining = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type GithubStandIn = Awaited<ReturnType<typeof startGithubStandIn>>;

/**
 * Sends the fake GitHub's GraphQL requests and pull-request file lists on to the history
 * stand-in, which plays GitHub's answers from its repository (the requester's token included).
 */
export function forwardHistoryRequests(github: FakeGitHub, history: { url: string }): void {
  const forward = async (request: RecordedRequest, path: string) => {
    const response = await fetch(`${history.url}${path}`, {
      method: request.method,
      headers: {
        authorization: String(request.headers.authorization ?? ""),
        "content-type": "application/json",
      },
      ...(request.method === "POST" ? { body: JSON.stringify(request.body) } : {}),
    });
    return { status: response.status, body: await response.json() };
  };
  github.on("POST /graphql", (request) => forward(request, "/graphql"));
  github.on("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", (request) =>
    forward(request, `${request.pathname}?${request.query}`),
  );
}
