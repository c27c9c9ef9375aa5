import { Octokit } from "@octokit/core";
import { OAuthApp } from "@octokit/oauth-app";
import { z } from "zod";
import { resolveGitHubUrls } from "../config/resolve-github-urls.js";
import { toSafeOAuthError, UserTokenRejectedError } from "./oauth-errors.js";

/** What GitHub hands out for a user: expiry fields are null when the app's tokens do not expire. */
export interface UserTokenGrant {
  accessToken: string;
  accessTokenExpiresAt: string | null;
  refreshToken: string | null;
  refreshTokenExpiresAt: string | null;
}

export const githubUserSchema = z.object({ id: z.number().int(), login: z.string().min(1) });
export type GitHubUser = z.infer<typeof githubUserSchema>;

/** What a finished OAuth exchange gives: the user's grant and who they are. */
export interface SignedInUser {
  grant: UserTokenGrant;
  user: GitHubUser;
}

/** The GitHub calls the auth stage makes, small enough to inject and to stand in for. */
export interface OAuthClient {
  clientId: string;
  buildAuthorizeUrl(params: { state: string; redirectUrl: string }): string;
  exchangeCode(code: string): Promise<UserTokenGrant>;
  refresh(refreshToken: string): Promise<UserTokenGrant>;
  fetchUser(accessToken: string): Promise<GitHubUser>;
  /** Revokes the app's whole grant for the user (every token), like "Revoke" in their settings. */
  deleteGrant(accessToken: string): Promise<void>;
}

export interface CreateOAuthClientParams {
  clientId: string;
  clientSecret: string;
  gheHost?: string | undefined;
  gheProtocol?: string | undefined;
  userAgent?: string;
}

/**
 * The GitHub App's user-authorisation client (user-to-server tokens) on @octokit/oauth-app,
 * pointed at github.com or GHE. Its errors never carry the secret, a code or a token.
 */
export function createOAuthClient({
  clientId,
  clientSecret,
  gheHost,
  gheProtocol,
  userAgent = "tech-lead-bot",
}: CreateOAuthClientParams): OAuthClient {
  const { apiUrl } = resolveGitHubUrls({ gheHost, gheProtocol });
  // oauth-methods derives the web URL (…/login/oauth/…) from this API base URL.
  const app = new OAuthApp({
    clientType: "github-app",
    clientId,
    clientSecret,
    Octokit: Octokit.defaults({ baseUrl: apiUrl, userAgent }),
  });

  return {
    clientId,
    buildAuthorizeUrl: ({ state, redirectUrl }) =>
      app.getWebFlowAuthorizationUrl({ state, redirectUrl }).url,
    exchangeCode: (code) =>
      requestGrant(() => app.createToken({ code }), "exchange the sign-in code for a token"),
    refresh: (refreshToken) =>
      requestGrant(() => app.refreshToken({ refreshToken }), "refresh the user token"),
    fetchUser: async (accessToken) => {
      let response: Response;
      try {
        response = await fetch(`${apiUrl}/user`, {
          headers: {
            accept: "application/vnd.github+json",
            authorization: `Bearer ${accessToken}`,
            "user-agent": userAgent,
          },
        });
      } catch (error) {
        throw toSafeOAuthError(error, "read the signed-in user");
      }
      if (response.status === 401) {
        throw new UserTokenRejectedError("GitHub answered 401 to GET /user with the new token.");
      }
      if (!response.ok) {
        throw toSafeOAuthError({ status: response.status }, "read the signed-in user");
      }
      return githubUserSchema.parse(await response.json());
    },
    deleteGrant: async (accessToken) => {
      try {
        await app.deleteAuthorization({ token: accessToken });
      } catch (error) {
        throw toSafeOAuthError(error, "revoke the app's authorisation");
      }
    },
  };
}

type GrantAuthentication = {
  token: string;
  expiresAt?: string;
  refreshToken?: string;
  refreshTokenExpiresAt?: string;
};

/** Asks GitHub for a user token; any failure becomes the safe error naming `action`. */
async function requestGrant(
  request: () => Promise<{ authentication: GrantAuthentication }>,
  action: string,
): Promise<UserTokenGrant> {
  try {
    const { authentication } = await request();
    return toGrant(authentication);
  } catch (error) {
    throw toSafeOAuthError(error, action);
  }
}

function toGrant(authentication: GrantAuthentication): UserTokenGrant {
  return {
    accessToken: authentication.token,
    accessTokenExpiresAt: authentication.expiresAt ?? null,
    refreshToken: authentication.refreshToken ?? null,
    refreshTokenExpiresAt: authentication.refreshTokenExpiresAt ?? null,
  };
}
