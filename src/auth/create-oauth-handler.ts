import type { IncomingMessage, ServerResponse } from "node:http";
import {
  handleOAuthCallback,
  type OAuthCallbackDeps,
  stateProblemPage,
} from "./handle-oauth-callback.js";
import type { OAuthStateStore } from "./oauth-state-store.js";
import {
  type OAuthPage,
  type OAuthRedirect,
  sendOAuthPage,
  sendRedirect,
} from "./render-oauth-page.js";

export const OAUTH_PATH_PREFIX = "/oauth/";

export interface CreateOAuthHandlerParams extends OAuthCallbackDeps {
  stateStore: OAuthStateStore;
  /** PUBLIC_URL without a trailing slash; the callback is `${publicUrl}/oauth/callback`. */
  publicUrl: string;
}

/** Probot's `addHandler` contract: return true when the request was answered. */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/**
 * The bot's OAuth routes, for Probot's `addHandler`:
 * - `GET /oauth/login?state=…` checks the link, then sends the browser to GitHub to authorise;
 * - `GET /oauth/callback` finishes it (see {@link handleOAuthCallback});
 * - `GET /oauth/revoke` asks for confirmation, `POST /oauth/revoke` signs the user in to prove who
 *   they are, and the callback deletes our copy of their token and the grant on GitHub.
 * Answers only paths under `/oauth/`; everything else falls through to the next handler.
 */
export function createOAuthHandler(params: CreateOAuthHandlerParams): HttpHandler {
  const redirectUrl = `${params.publicUrl}/oauth/callback`;

  const routes: Record<
    string,
    (query: URLSearchParams, cookieHeader?: string) => Promise<OAuthPage | OAuthRedirect | string>
  > = {
    "GET /oauth/login": async (query) => {
      const state = query.get("state") ?? "";
      const lookup = await params.stateStore.peek(state);
      if (lookup.status !== "valid") return stateProblemPage(lookup.status);
      return params.oauthClient.buildAuthorizeUrl({ state, redirectUrl });
    },
    "GET /oauth/callback": (query, cookieHeader) =>
      handleOAuthCallback(params, query, cookieHeader),
    "GET /oauth/revoke": async () => ({
      statusCode: 200,
      title: "Revoke the bot's access",
      paragraphs: [
        "The bot reads reviewers' history with the GitHub access of the person who asked for the review. Revoking deletes the bot's copy of your token and revokes its authorisation on GitHub.",
        "You will be sent to GitHub to confirm who you are.",
      ],
      form: { action: `${params.publicUrl}/oauth/revoke`, buttonLabel: "Revoke my authorisation" },
    }),
    "POST /oauth/revoke": async () => {
      const state = await params.stateStore.create({ purpose: "revoke" });
      return params.oauthClient.buildAuthorizeUrl({ state, redirectUrl });
    },
  };

  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (!url.pathname.startsWith(OAUTH_PATH_PREFIX)) return false;
    // Probot's access log prints req.url when the response ends: keep the code and state out of it.
    req.url = url.pathname;

    const route = routes[`${req.method} ${url.pathname}`];
    if (route === undefined) {
      sendOAuthPage(res, {
        statusCode: 404,
        title: "Not found",
        paragraphs: ["There is no page here. Sign-in links are posted in pull requests."],
      });
      return true;
    }
    const outcome = await route(url.searchParams, req.headers.cookie);
    if (typeof outcome === "object" && "redirect" in outcome) {
      sendRedirect(res, outcome.redirect, 303, outcome.setCookies);
    } else if (typeof outcome === "string") {
      // 303 so the browser follows a POST with a GET.
      sendRedirect(res, outcome, req.method === "POST" ? 303 : 302);
    } else {
      sendOAuthPage(res, outcome);
    }
    return true;
  };
}
