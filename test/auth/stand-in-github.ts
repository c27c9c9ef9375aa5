import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A small stand-in for GitHub's OAuth side, spoken over real HTTP like GHE at
 * `http://127.0.0.1:<port>` (web) and `…/api/v3` (API). Refresh tokens are single-use and a
 * refresh invalidates the old pair, as on GitHub. Counts every call so tests can assert on them.
 */
export interface StandInGitHub {
  host: string;
  webUrl: string;
  clientId: string;
  clientSecret: string;
  calls: { method: string; path: string; grantType: string | undefined }[];
  /** What GitHub's authorise page does when `user` presses "Authorize": a fresh one-time code. */
  authorize(user: { id: number; login: string }): string;
  /** Every secret the stand-in ever issued (for the plaintext scan). */
  issuedSecrets(): string[];
  /** Simulates GitHub revoking a token on its side (the next use answers 401). */
  revokeAccessToken(accessToken: string): void;
  countCalls(method: string, path: string, grantType?: string): number;
  close(): Promise<void>;
}

interface IssuedPair {
  user: { id: number; login: string };
  accessToken: string;
  refreshToken: string;
}

const ACCESS_TOKEN_SECONDS = 8 * 60 * 60;
const REFRESH_TOKEN_SECONDS = 15_897_600;

/** `now` is GitHub's clock: it dates responses, and token expiry is computed from that date. */
export async function startStandInGitHub({
  now = () => new Date(),
}: {
  now?: () => Date;
} = {}): Promise<StandInGitHub> {
  const clientId = `Iv1.${randomBytes(8).toString("hex")}`;
  const clientSecret = randomBytes(20).toString("hex");
  const codes = new Map<string, { id: number; login: string }>();
  const accessTokens = new Map<string, IssuedPair>();
  const refreshTokens = new Map<string, IssuedPair>();
  const issued: string[] = [];
  const calls: StandInGitHub["calls"] = [];

  const issuePair = (user: { id: number; login: string }) => {
    const pair: IssuedPair = {
      user,
      accessToken: `ghu_${randomBytes(18).toString("base64url")}`,
      refreshToken: `ghr_${randomBytes(36).toString("base64url")}`,
    };
    accessTokens.set(pair.accessToken, pair);
    refreshTokens.set(pair.refreshToken, pair);
    issued.push(pair.accessToken, pair.refreshToken);
    return {
      access_token: pair.accessToken,
      expires_in: ACCESS_TOKEN_SECONDS,
      refresh_token: pair.refreshToken,
      refresh_token_expires_in: REFRESH_TOKEN_SECONDS,
      scope: "",
      token_type: "bearer",
    };
  };

  const revokeUser = (userId: number) => {
    for (const [token, pair] of accessTokens)
      if (pair.user.id === userId) accessTokens.delete(token);
    for (const [token, pair] of refreshTokens)
      if (pair.user.id === userId) refreshTokens.delete(token);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const body = await readBody(req);
    calls.push({ method: req.method ?? "", path: url.pathname, grantType: body.grant_type });

    if (req.method === "POST" && url.pathname === "/login/oauth/access_token") {
      if (body.client_id !== clientId || body.client_secret !== clientSecret) {
        return sendJson(res, 200, oauthError("incorrect_client_credentials"));
      }
      if (body.grant_type === "refresh_token") {
        const pair = refreshTokens.get(body.refresh_token ?? "");
        if (pair === undefined) return sendJson(res, 200, oauthError("bad_refresh_token"));
        // Single-use: the old pair dies with the refresh.
        refreshTokens.delete(pair.refreshToken);
        accessTokens.delete(pair.accessToken);
        return sendJson(res, 200, issuePair(pair.user));
      }
      const user = codes.get(body.code ?? "");
      if (user === undefined) return sendJson(res, 200, oauthError("bad_verification_code"));
      codes.delete(body.code ?? "");
      return sendJson(res, 200, issuePair(user));
    }

    if (req.method === "GET" && url.pathname === "/api/v3/user") {
      const token = (req.headers.authorization ?? "").replace(/^(bearer|token) /i, "");
      const pair = accessTokens.get(token);
      if (pair === undefined) return sendJson(res, 401, { message: "Bad credentials" });
      return sendJson(res, 200, { id: pair.user.id, login: pair.user.login, type: "User" });
    }

    if (req.method === "DELETE" && url.pathname === `/api/v3/applications/${clientId}/grant`) {
      const expected = `basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`;
      if ((req.headers.authorization ?? "").toLowerCase() !== expected.toLowerCase()) {
        return sendJson(res, 401, { message: "Requires authentication" });
      }
      const pair = accessTokens.get(body.access_token ?? "");
      if (pair === undefined) return sendJson(res, 422, { message: "Validation Failed" });
      revokeUser(pair.user.id);
      res.writeHead(204).end();
      return;
    }

    sendJson(res, 404, { message: "Not Found" });
  };

  const server: Server = createServer((req, res) => {
    res.setHeader("date", now().toUTCString());
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;

  return {
    host,
    webUrl: `http://${host}`,
    clientId,
    clientSecret,
    calls,
    authorize: (user) => {
      const code = randomBytes(10).toString("hex");
      codes.set(code, user);
      return code;
    },
    issuedSecrets: () => [...issued],
    revokeAccessToken: (accessToken) => {
      accessTokens.delete(accessToken);
    },
    countCalls: (method, path, grantType) =>
      calls.filter(
        (call) =>
          call.method === method &&
          call.path === path &&
          (grantType === undefined || call.grantType === grantType),
      ).length,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function oauthError(error: string) {
  return {
    error,
    error_description: `stand-in: ${error}`,
    error_uri:
      "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors",
  };
}

/** GitHub's token endpoint takes a form or JSON body; Octokit sends JSON. */
async function readBody(req: IncomingMessage): Promise<Record<string, string | undefined>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (text === "") return {};
  if ((req.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded")) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  return JSON.parse(text) as Record<string, string | undefined>;
}

function sendJson(res: ServerResponse, statusCode: number, body: unknown): void {
  res.writeHead(statusCode, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}
