import { sign } from "@octokit/webhooks-methods";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseFernetKeyList } from "../../src/auth/create-fernet-keyring.js";
import { createSessionCookies } from "../../src/auth/session-cookie.js";
import { testDeploymentEnv } from "../../support/app-harness.js";
import { cookiesOf } from "../../support/cookies.js";
import { type FakeGitHub, startFakeGitHub } from "../../support/fake-github.js";
import { connectTestRedis, deleteKeys, uniqueName } from "../../support/redis.js";
import {
  freePort,
  type SpawnedProcess,
  serverProcessEnv,
  spawnNpm,
} from "../../support/spawn-process.js";
import { eventually, testPrivateKey } from "../../support/webhooks.js";

/**
 * `npm start` as deployed (JSON logs, METRICS_TOKEN and ADMIN_TOKEN set), every route it serves
 * driven with every secret a request can carry: the access log (Probot's pino-http line, which
 * serialises request and response headers) must hold none of them.
 */
const METRICS_TOKEN = "metrics-token-5d7f1c2a9b8e4d63";
const ADMIN_TOKEN = "admin-token-0e9a8b7c6d5f4e3a";
const WEBHOOK_SECRET = "log-test-webhook-secret";
const USER_TOKEN = "ghu_accesslogtestusertoken0123456789";

let github: FakeGitHub;
let redis: Redis;
let server: SpawnedProcess;
let origin: string;
const prefix = uniqueName("access-log");
const deployment = (publicUrl: string) => testDeploymentEnv(publicUrl);

beforeAll(async () => {
  github = await startFakeGitHub();
  redis = await connectTestRedis();
  github.on("POST /login/oauth/access_token", {
    body: { access_token: USER_TOKEN, token_type: "bearer", scope: "" },
  });
  github.on("GET /user", { body: { id: 1001, login: "alice", type: "User" } });
  github.on("GET /user/installations", { body: { total_count: 0, installations: [] } });
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  server = spawnNpm(
    "start",
    serverProcessEnv({
      githubHost: github.host,
      port,
      queuePrefix: prefix,
      privateKey: testPrivateKey(),
      webhookSecret: WEBHOOK_SECRET,
      deploymentEnv: { ...deployment(origin), METRICS_TOKEN, ADMIN_TOKEN, LOG_LEVEL: "info" },
    }),
  );
  await server.waitForOutput(/Listening on/, 60_000);
}, 90_000);

afterAll(async () => {
  await server?.stop();
  await deleteKeys(redis, `${prefix}:*`);
  await redis.quit();
  await github.close();
});

/** Every route the server answers, with the method it is used with. */
const ROUTES: [method: string, path: string][] = [
  ["GET", "/"],
  ["GET", "/ping"],
  ["GET", "/healthz"],
  ["GET", "/readyz"],
  ["GET", "/metrics"],
  ["GET", "/admin/queues"],
  ["GET", "/admin/queues/api/queues"],
  ["PUT", "/admin/queues/api/queues/nothing/retry/failed"],
  ["GET", "/dashboard"],
  ["GET", "/dashboard/style.css"],
  ["GET", "/dashboard/sign-in?next=/dashboard"],
  ["GET", "/dashboard/Codertocat/Hello-World/feed"],
  ["POST", "/dashboard/sign-out"],
  ["GET", "/oauth/login?state=x"],
  ["GET", "/oauth/callback?code=c&state=s"],
  ["GET", "/oauth/revoke"],
  ["POST", "/oauth/revoke"],
  ["POST", "/api/github/webhooks"],
  ["GET", "/probot/static/primer.css"],
  ["GET", "/no-such-page"],
];

describe("the access log", () => {
  it("holds no token, password or session cookie, whichever route a request hits", async () => {
    const keys = parseFernetKeyList(deployment(origin).TOKEN_ENCRYPTION_KEYS ?? "");
    const sessionCookie = (
      createSessionCookies({ keys, publicUrl: origin })
        .issue({ id: 1001, login: "alice" })
        .split(";")[0] ?? ""
    ).trim();
    const basic = Buffer.from(`ops:${ADMIN_TOKEN}`).toString("base64");
    const credentials: Record<string, string>[] = [
      { authorization: `Bearer ${METRICS_TOKEN}` },
      { authorization: `Bearer ${ADMIN_TOKEN}` },
      { authorization: `Basic ${basic}` },
      { cookie: sessionCookie },
      { "proxy-authorization": `Basic ${basic}` },
    ];
    for (const headers of credentials) {
      for (const [method, path] of ROUTES) {
        const response = await fetch(`${origin}${path}`, {
          method,
          redirect: "manual",
          headers: { ...headers, origin, "content-type": "application/x-www-form-urlencoded" },
          ...(method === "GET" ? {} : { body: "csrf=x" }),
        });
        await response.arrayBuffer();
      }
    }
    // A signed webhook too (its signature is no secret, but the delivery carries the headers).
    const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });
    await fetch(`${origin}/api/github/webhooks`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "ping",
        "x-github-delivery": "log-delivery-1",
        "x-hub-signature-256": await sign(WEBHOOK_SECRET, body),
        authorization: `Bearer ${METRICS_TOKEN}`,
        cookie: sessionCookie,
      },
      body,
    });

    // Cookies the server sets: a dashboard sign-in, a session, the revoke page's CSRF token.
    const started = await fetch(`${origin}/dashboard/sign-in?next=/dashboard`, {
      redirect: "manual",
    });
    const bindingCookie = cookiesOf(started);
    const state = new URL(started.headers.get("location") ?? "").searchParams.get("state") ?? "";
    const callback = await fetch(`${origin}/oauth/callback?code=c0de&state=${state}`, {
      redirect: "manual",
      headers: { cookie: bindingCookie },
    });
    const issuedSession = cookiesOf(callback);
    expect(issuedSession).toMatch(/^tlb_session=v1\./);
    const dashboard = await fetch(`${origin}/dashboard`, {
      redirect: "manual",
      headers: { cookie: issuedSession },
    });
    expect(dashboard.status).toBe(200);
    const revokePage = await fetch(`${origin}/oauth/revoke`);
    const revokeCookie = cookiesOf(revokePage);
    expect(revokeCookie).toMatch(/^tlb_revoke_csrf=./);

    // The access log saw the requests (so the scan below reads real lines) ...
    await eventually(() => {
      expect(server.output()).toContain("GET /oauth/revoke 200");
      expect(server.output()).toContain("GET /dashboard 200");
    });
    const log = server.output();
    for (const line of [
      "GET /metrics 200",
      "GET /oauth/callback 303",
      "POST /api/github/webhooks 200",
    ])
      expect(log).toContain(line);
    // ... and none of the secrets, in any form a request or response carried them.
    const secrets = [
      METRICS_TOKEN,
      ADMIN_TOKEN,
      basic,
      sessionCookie.split("=")[1],
      issuedSession.split("=")[1],
      bindingCookie.split("=")[1],
      revokeCookie.split("=")[1],
      USER_TOKEN,
    ];
    for (const secret of secrets) {
      expect(secret?.length).toBeGreaterThan(15);
      expect(log).not.toContain(secret);
    }
  }, 60_000);
});
