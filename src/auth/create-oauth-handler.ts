import type { IncomingMessage, ServerResponse } from "node:http";
import { bindBrowser } from "./browser-binding.js";
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
import { isRevokeRequestGenuine, issueRevokeCsrfToken, REVOKE_CSRF_FIELD } from "./revoke-csrf.js";

export const OAUTH_PATH_PREFIX = "/oauth/";
const REVOKE_PATH = "/oauth/revoke";

export interface CreateOAuthHandlerParams extends OAuthCallbackDeps {
  stateStore: OAuthStateStore;
  /** PUBLIC_URL without a trailing slash; the callback is `${publicUrl}/oauth/callback`. */
  publicUrl: string;
  /** How long the browser-binding cookie lasts: OAUTH_STATE_TTL_SECONDS. */
  stateTtlSeconds: number;
}

/** Probot's `addHandler` contract: return true when the request was answered. */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/**
 * The bot's OAuth routes, for Probot's `addHandler`:
 * - `GET /oauth/login?state=…` checks the link, binds it to this browser (a cookie), then sends
 *   the browser to GitHub to authorise;
 * - `GET /oauth/callback` finishes it (see {@link handleOAuthCallback});
 * - `GET /oauth/revoke` asks for confirmation, `POST /oauth/revoke` (from that page only: an
 *   anti-forgery token) signs the user in to prove who they are, and the callback deletes our
 *   copy of their token and the grant on GitHub.
 * Answers only paths under `/oauth/`; everything else falls through to the next handler.
 */
export function createOAuthHandler(params: CreateOAuthHandlerParams): HttpHandler {
  const redirectUrl = `${params.publicUrl}/oauth/callback`;

  const routes: Record<
    string,
    (query: URLSearchParams, cookieHeader?: string) => Promise<OAuthPage | OAuthRedirect | string>
  > = {
    "GET /oauth/login": async (query, cookieHeader) => {
      const state = query.get("state") ?? "";
      // The link is public (it is posted in the pull request): the browser that opens it is the
      // one the callback must come back to.
      const { browserBinding, setCookie } = bindBrowser({
        cookieHeader,
        publicUrl: params.publicUrl,
        ttlSeconds: params.stateTtlSeconds,
      });
      const lookup = await params.stateStore.bindBrowser(state, browserBinding);
      if (lookup.status !== "valid") return stateProblemPage(lookup.status);
      return {
        redirect: params.oauthClient.buildAuthorizeUrl({ state, redirectUrl }),
        setCookies: [setCookie],
        statusCode: 302,
      };
    },
    "GET /oauth/callback": (query, cookieHeader) =>
      handleOAuthCallback(params, query, cookieHeader),
  };

  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (!url.pathname.startsWith(OAUTH_PATH_PREFIX)) return false;
    // Probot's access log prints req.url when the response ends: keep the code and state out of it.
    req.url = url.pathname;

    if (url.pathname === REVOKE_PATH && (req.method === "GET" || req.method === "POST")) {
      await serveRevoke(params, req, res, redirectUrl);
      return true;
    }
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
      sendRedirect(res, outcome.redirect, outcome.statusCode ?? 303, outcome.setCookies);
    } else if (typeof outcome === "string") {
      // 303 so the browser follows a POST with a GET.
      sendRedirect(res, outcome, req.method === "POST" ? 303 : 302);
    } else {
      sendOAuthPage(res, outcome);
    }
    return true;
  };
}

/**
 * The revoke confirmation (GET) and its submission (POST). Without the check, any site could post
 * a form here: GitHub sends a user who already authorised the app straight back to the callback,
 * which would revoke their authorisation without their say.
 */
async function serveRevoke(
  params: CreateOAuthHandlerParams,
  req: IncomingMessage,
  res: ServerResponse,
  redirectUrl: string,
): Promise<void> {
  if (req.method === "GET") {
    const { token, setCookie } = issueRevokeCsrfToken(params.publicUrl);
    sendOAuthPage(
      res,
      {
        statusCode: 200,
        title: "Revoke the bot's access",
        paragraphs: [
          "The bot reads reviewers' history with the GitHub access of the person who asked for the review. Revoking deletes the bot's copy of your token and revokes its authorisation on GitHub.",
          "You will be sent to GitHub to confirm who you are.",
        ],
        form: {
          action: `${params.publicUrl}${REVOKE_PATH}`,
          buttonLabel: "Revoke my authorisation",
          hiddenFields: { [REVOKE_CSRF_FIELD]: token },
        },
      },
      { "set-cookie": setCookie },
    );
    return;
  }
  if (!(await isRevokeRequestGenuine({ req, publicUrl: params.publicUrl }))) {
    params.log.warn("revoke request refused: it did not come from the bot's own revoke page");
    sendOAuthPage(res, {
      statusCode: 403,
      title: "Revoke not confirmed",
      paragraphs: [
        "This request did not come from the bot's own revoke page, so nothing was revoked.",
        `To revoke, open ${params.publicUrl}${REVOKE_PATH} and press the button there.`,
      ],
    });
    return;
  }
  // Bound to this browser: an authorise URL kept from here revokes nothing in another one.
  const { browserBinding, setCookie } = bindBrowser({
    cookieHeader: req.headers.cookie,
    publicUrl: params.publicUrl,
    ttlSeconds: params.stateTtlSeconds,
  });
  const state = await params.stateStore.create({ purpose: "revoke", browserBinding });
  // 303 so the browser follows the POST with a GET.
  sendRedirect(res, params.oauthClient.buildAuthorizeUrl({ state, redirectUrl }), 303, [setCookie]);
}
