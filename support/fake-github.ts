import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { loadGitHubApiDescription } from "./github-openapi.js";

/** A request the stand-in received, as GitHub would have seen it. */
export interface RecordedRequest {
  method: string;
  pathname: string;
  /** `METHOD /template` of the GitHub operation, or `METHOD /pathname` for non-API routes. */
  route: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: unknown;
}

export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export type FakeHandler = (request: RecordedRequest) => FakeResponse | Promise<FakeResponse>;

/**
 * A local HTTP server that stands in for GitHub (REST under `/api/v3`, GraphQL at
 * `/api/graphql`, OAuth under `/login/oauth`), the way a GitHub Enterprise host is laid out, so
 * the bot reaches it through GHE_HOST/GHE_PROTOCOL like any GHE user would.
 *
 * Every REST request is checked against GitHub's OpenAPI description; a request GitHub would
 * reject is answered 422 and recorded in `violations`, which tests assert to be empty.
 */
export interface FakeGitHub {
  /** `127.0.0.1:PORT`, for GHE_HOST. */
  host: string;
  /** `http://127.0.0.1:PORT/api/v3`, Probot's baseUrl for that GHE_HOST. */
  apiBaseUrl: string;
  origin: string;
  requests: RecordedRequest[];
  violations: string[];
  /** Handle `METHOD /openapi/template` (REST), `POST /graphql`, or `METHOD /exact/path`. */
  on(route: string, handler: FakeHandler | FakeResponse): void;
  /** Requests that hit one route. */
  calls(route: string): RecordedRequest[];
  close(): Promise<void>;
}

const API_PREFIX = "/api/v3";

export async function startFakeGitHub(): Promise<FakeGitHub> {
  const description = loadGitHubApiDescription();
  const handlers = new Map<string, FakeHandler>();
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];

  handlers.set("POST /app/installations/{installation_id}/access_tokens", () => ({
    status: 201,
    body: {
      token: "ghs_fakeinstallationtoken",
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      permissions: {},
    },
  }));

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const body = parseBody(await readBody(req), req.headers["content-type"]);
    const method = (req.method ?? "GET").toUpperCase();
    const isRest = url.pathname.startsWith(`${API_PREFIX}/`);
    const restPath = url.pathname.slice(API_PREFIX.length);
    let route = `${method} ${url.pathname}`;
    if (url.pathname === "/api/graphql") route = "POST /graphql";
    if (isRest) {
      const operation = description.findOperation(method, restPath);
      if (operation) route = `${operation.method} ${operation.template}`;
      const problems = description.validateRequest({ method, pathname: restPath, body });
      violations.push(...problems);
      if (problems.length > 0) {
        requests.push({
          method,
          pathname: restPath,
          route,
          query: url.searchParams,
          headers: req.headers,
          body,
        });
        return send(res, { status: 422, body: { message: "Validation Failed", errors: problems } });
      }
    }
    const recorded: RecordedRequest = {
      method,
      pathname: isRest ? restPath : url.pathname,
      route,
      query: url.searchParams,
      headers: req.headers,
      body,
    };
    requests.push(recorded);
    const handler = handlers.get(route);
    if (!handler) {
      violations.push(`unexpected request ${route} (${url.pathname}): no handler in this test`);
      return send(res, { status: 404, body: { message: "Not Found (no stand-in handler)" } });
    }
    try {
      send(res, await handler(recorded));
    } catch (error) {
      send(res, { status: 500, body: { message: String(error) } });
    }
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    host: `127.0.0.1:${port}`,
    apiBaseUrl: `${origin}${API_PREFIX}`,
    origin,
    requests,
    violations,
    on(route, handler) {
      handlers.set(route, typeof handler === "function" ? handler : () => handler);
    },
    calls(route) {
      return requests.filter((request) => request.route === route);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw === "") return undefined;
  if (contentType?.includes("application/x-www-form-urlencoded")) {
    return Object.fromEntries(new URLSearchParams(raw));
  }
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function send(res: import("node:http").ServerResponse, response: FakeResponse): void {
  const status = response.status ?? 200;
  const headers = { "content-type": "application/json; charset=utf-8", ...response.headers };
  res.writeHead(status, headers);
  if (response.body === undefined || status === 204 || status === 304) return void res.end();
  res.end(typeof response.body === "string" ? response.body : JSON.stringify(response.body));
}
