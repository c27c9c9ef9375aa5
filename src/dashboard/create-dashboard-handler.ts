import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { githubLoginSchema, repoNameSchema } from "../../jobs/github-names.js";
import type { AuthStage } from "../auth/create-auth-stage.js";
import type { HttpHandler } from "../auth/create-oauth-handler.js";
import { readSmallBody } from "../auth/revoke-csrf.js";
import type { DashboardSession } from "../auth/session-cookie.js";
import { loadBackportsReport } from "../backports/backports-report-store.js";
import { listFeedEntries } from "../feed/feed-store.js";
import { listRunStatuses } from "../run/record-run-status.js";
import {
  createPersonaFeedbackReader,
  type PersonaFeedbackReader,
} from "./read-persona-feedback.js";
import { readPersonas } from "./read-personas.js";
import { createUserGitHubReader, SignedOutError } from "./read-user-github.js";
import { renderAtomFeed } from "./render-atom-feed.js";
import { renderFeedPage } from "./render-feed-page.js";
import { type DashboardPage, renderLayout } from "./render-layout.js";
import { renderPersonasPage } from "./render-personas-page.js";
import { renderRunsPage } from "./render-runs-page.js";
import {
  ERROR_BODY,
  NOT_FOUND_BODY,
  renderRepositoriesPage,
  SIGN_OUT_REFUSED_BODY,
  SIGNED_OUT_BODY,
} from "./render-simple-pages.js";
import { sendBackportsReport } from "./send-backports-report.js";

const FEED_PAGE_SIZE = 20;
const RUNS_LISTED = 50;
const STYLESHEET = readFileSync(new URL("./dashboard.css", import.meta.url), "utf8");

const SECURITY_HEADERS = {
  "cache-control": "private, no-store",
  "referrer-policy": "same-origin",
  "x-content-type-options": "nosniff",
  "content-security-policy":
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

export interface DashboardDeps {
  redis: Redis;
  /** QUEUE_PREFIX. */
  keyPrefix: string;
  auth: Pick<AuthStage, "sessions" | "startSignIn" | "freshUserToken" | "apiUrl">;
  /** PUBLIC_URL without a trailing slash. */
  publicUrl: string;
  /** github.com or the GHE host's web URL, for links to pull requests. */
  githubWebUrl: string;
  /** Defaults to the feedback stage's figures in Redis. */
  readFeedback?: PersonaFeedbackReader;
  log: Logger;
  now?: () => Date;
}

type RepoView = "feed" | "feed.atom" | "personas" | "runs";

/**
 * The dashboard's routes under `/dashboard`, for Probot's `addHandler`. Every page needs a
 * signed-in person (else: sign-in), and every repository page checks with that person's own
 * token that they can read the repository (else: 404, as GitHub does).
 */
export function createDashboardHandler(deps: DashboardDeps): HttpHandler {
  const github = createUserGitHubReader({
    redis: deps.redis,
    keyPrefix: deps.keyPrefix,
    apiUrl: deps.auth.apiUrl,
  });
  const readFeedback =
    deps.readFeedback ??
    createPersonaFeedbackReader({ redis: deps.redis, keyPrefix: deps.keyPrefix });
  const now = deps.now ?? (() => new Date());

  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== "/dashboard" && !url.pathname.startsWith("/dashboard/")) return false;
    try {
      await route(req, res, url);
    } catch (error) {
      deps.log.error({ err: error, path: url.pathname }, "dashboard page failed");
      if (!res.headersSent) sendPage(res, { statusCode: 500, title: "Error", body: ERROR_BODY });
    }
    return true;
  };

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const { pathname } = url;
    if (req.method === "GET" && pathname === "/dashboard/style.css") {
      res.writeHead(200, {
        "content-type": "text/css; charset=utf-8",
        "cache-control": "public, max-age=3600",
        "x-content-type-options": "nosniff",
      });
      res.end(STYLESHEET);
      return;
    }
    if (req.method === "GET" && pathname === "/dashboard/sign-in") {
      const outcome = await deps.auth.startSignIn(
        url.searchParams.get("next") ?? "/dashboard",
        req.headers.cookie,
      );
      res.writeHead(302, {
        ...SECURITY_HEADERS,
        location: outcome.redirect,
        "set-cookie": outcome.setCookies,
      });
      res.end();
      return;
    }
    if (req.method === "POST" && pathname === "/dashboard/sign-out") {
      const cookie = req.headers.cookie;
      const token = new URLSearchParams(await readSmallBody(req)).get("csrf");
      if (deps.auth.sessions.read(cookie) === undefined) {
        // No session came with it (another site's form arrives without the SameSite cookie):
        // nothing to sign out, and nothing is cleared.
        return sendPage(res, { statusCode: 200, title: "Signed out", body: SIGNED_OUT_BODY });
      }
      if (!deps.auth.sessions.isFormToken(cookie, token)) {
        deps.log.warn(
          "dashboard sign-out refused: the form's anti-forgery token is missing or wrong",
        );
        return sendPage(res, {
          statusCode: 403,
          title: "Not signed out",
          body: SIGN_OUT_REFUSED_BODY,
        });
      }
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        "content-type": "text/html; charset=utf-8",
        "set-cookie": deps.auth.sessions.clear(),
      });
      res.end(renderLayout({ statusCode: 200, title: "Signed out", body: SIGNED_OUT_BODY }));
      return;
    }
    if (req.method !== "GET") return sendNotFound(res);

    const signedIn = await readSignedIn(req);
    if (signedIn === undefined) return redirectToSignIn(req, res, url);
    const { session, token } = signedIn;
    const who: SignedInAs = {
      signedInAs: session.login,
      signOutToken: deps.auth.sessions.formToken(req.headers.cookie) ?? "",
    };
    const reader = { userId: session.userId, token };
    try {
      if (pathname === "/dashboard" || pathname === "/dashboard/") {
        const repositories = await github.listRepositories(reader);
        return sendPage(res, {
          statusCode: 200,
          title: "Repositories",
          ...who,
          body: renderRepositoriesPage(repositories),
        });
      }
      // The scheduled backport triage's report of one stable branch (its name may hold "/").
      const backports = /^\/dashboard\/([^/]+)\/([^/]+)\/backports\/(.+)$/.exec(pathname);
      if (backports) {
        const stable = decodeURIComponent(backports[3] ?? "");
        const readable = await readableRepo(backports, reader);
        if (!readable) return sendNotFound(res, who);
        return await serveBackports({ res, who, ...readable, stable });
      }
      const match = /^\/dashboard\/([^/]+)\/([^/]+)(?:\/(feed|feed\.atom|personas|runs))?\/?$/.exec(
        pathname,
      );
      const readable = await readableRepo(match, reader);
      if (!readable) return sendNotFound(res, who);
      const view = (match?.[3] ?? "feed") as RepoView;
      if (match?.[3] === undefined) {
        res.writeHead(302, {
          ...SECURITY_HEADERS,
          location: `${pathname.replace(/\/$/, "")}/feed`,
        });
        res.end();
        return;
      }
      await renderRepoView({ res, who, ...readable, view, url });
    } catch (error) {
      if (error instanceof SignedOutError) return redirectToSignIn(req, res, url);
      throw error;
    }
  }

  /**
   * The repository a `/dashboard/<owner>/<repo>…` path names (`match`'s first two groups) when both
   * names are valid and the signed-in person can read it; undefined when the page is a 404.
   */
  async function readableRepo(
    match: RegExpExecArray | null,
    reader: { userId: number; token: string },
  ): Promise<{ owner: string; repo: string } | undefined> {
    const owner = decodeURIComponent(match?.[1] ?? "");
    const repo = decodeURIComponent(match?.[2] ?? "");
    if (
      !match ||
      !githubLoginSchema.safeParse(owner).success ||
      !repoNameSchema.safeParse(repo).success
    )
      return undefined;
    if (!(await github.canRead({ ...reader, owner, repo }))) return undefined;
    return { owner, repo };
  }

  async function serveBackports(params: RepoPage & { stable: string }): Promise<void> {
    const { res, owner, repo, stable, who } = params;
    const report = await loadBackportsReport({
      redis: deps.redis,
      keyPrefix: deps.keyPrefix,
      owner,
      repo,
      stable,
    });
    if (!report) return sendNotFound(res, who);
    sendBackportsReport(res, report.html);
  }

  async function renderRepoView(params: RepoPage & { view: RepoView; url: URL }): Promise<void> {
    const { res, view, owner, repo, who } = params;
    const where = { redis: deps.redis, keyPrefix: deps.keyPrefix, owner, repo };
    const title = `${owner}/${repo}`;
    if (view === "feed" || view === "feed.atom") {
      const requested = Number.parseInt(params.url.searchParams.get("page") ?? "1", 10);
      const page = Number.isFinite(requested) && requested > 0 ? requested : 1;
      const { entries, total } = await listFeedEntries({
        ...where,
        page,
        pageSize: FEED_PAGE_SIZE,
      });
      if (view === "feed.atom") {
        const pageUrl = `${deps.publicUrl}/dashboard/${owner}/${repo}/feed`;
        res.writeHead(200, {
          ...SECURITY_HEADERS,
          "content-type": "application/atom+xml; charset=utf-8",
        });
        res.end(
          renderAtomFeed({ owner, repo, pageUrl, selfUrl: `${pageUrl}.atom`, entries, now: now() }),
        );
        return;
      }
      const pageCount = Math.max(1, Math.ceil(total / FEED_PAGE_SIZE));
      return sendPage(res, {
        statusCode: 200,
        title: `Feed · ${title}`,
        ...who,
        body: renderFeedPage({ owner, repo, entries, page, pageCount }),
      });
    }
    const runs = await listRunStatuses({ ...where, limit: RUNS_LISTED });
    if (view === "runs") {
      return sendPage(res, {
        statusCode: 200,
        title: `Runs · ${title}`,
        ...who,
        body: renderRunsPage({ owner, repo, runs, githubWebUrl: deps.githubWebUrl }),
      });
    }
    const personas = await readPersonas(where);
    const views = await Promise.all(
      personas.map(async (persona) => ({
        ...persona,
        feedback: await readFeedback({ owner, repo, reviewerLogin: persona.reviewerLogin }),
        recentReviews: runs.filter(
          (run) =>
            run.state === "finished" &&
            run.reviewerLogin.toLowerCase() === persona.reviewerLogin.toLowerCase(),
        ),
      })),
    );
    return sendPage(res, {
      statusCode: 200,
      title: `Personas · ${title}`,
      ...who,
      body: renderPersonasPage({ owner, repo, personas: views, githubWebUrl: deps.githubWebUrl }),
    });
  }

  /** The person behind the session cookie and their token, or undefined: sign in (again). */
  async function readSignedIn(
    req: IncomingMessage,
  ): Promise<{ session: DashboardSession; token: string } | undefined> {
    const session = deps.auth.sessions.read(req.headers.cookie);
    if (session === undefined) return undefined;
    const fresh = await deps.auth.freshUserToken(session.userId);
    if (fresh.status !== "ready") return undefined;
    return { session, token: fresh.token.accessToken };
  }

  function redirectToSignIn(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const next = `${url.pathname}${url.search}`;
    const hadCookie = (req.headers.cookie ?? "").includes("tlb_session=");
    res.writeHead(302, {
      ...SECURITY_HEADERS,
      location: `/dashboard/sign-in?${new URLSearchParams({ next })}`,
      // A cookie we cannot use (tampered, expired, or its token revoked) is cleared.
      ...(hadCookie ? { "set-cookie": deps.auth.sessions.clear() } : {}),
    });
    res.end();
  }
}

/** Who a page is shown to, with their sign-out form's token. */
type SignedInAs = { signedInAs: string; signOutToken: string };

/** A repository page being answered: a repository the signed-in person can read, and who they are. */
type RepoPage = { res: ServerResponse; owner: string; repo: string; who: SignedInAs };

function sendNotFound(res: ServerResponse, who?: SignedInAs): void {
  sendPage(res, {
    statusCode: 404,
    title: "Not found",
    ...who,
    body: NOT_FOUND_BODY,
  });
}

function sendPage(res: ServerResponse, page: DashboardPage): void {
  res.writeHead(page.statusCode, {
    ...SECURITY_HEADERS,
    "content-type": "text/html; charset=utf-8",
  });
  res.end(renderLayout(page));
}
