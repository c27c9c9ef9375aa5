import type { Logger } from "pino";
import { isBoundBrowser, otherBrowserPage } from "./browser-binding.js";
import type {
  GitHubUser,
  OAuthClient,
  SignedInUser,
  UserTokenGrant,
} from "./create-oauth-client.js";
import { completeDashboardSignIn } from "./dashboard-sign-in.js";
import { OAuthGrantRejectedError } from "./oauth-errors.js";
import type { OAuthStateRecordFor, OAuthStateStore, StateLookup } from "./oauth-state-store.js";
import type { PendingRun } from "./pending-run.js";
import type { OAuthPage, OAuthRedirect } from "./render-oauth-page.js";
import type { SessionCookies } from "./session-cookie.js";
import type { TokenVault } from "./token-vault.js";

export interface OAuthCallbackDeps {
  oauthClient: OAuthClient;
  stateStore: OAuthStateStore;
  vault: TokenVault;
  log: Logger;
  /** Resumes the parked run; called once per successful sign-in, after the token is stored. */
  onAuthorised: (pendingRun: PendingRun) => Promise<void>;
  /** Where people manage their authorisations by hand: `${webUrl}/settings/apps/authorizations`. */
  githubWebUrl: string;
  /** Signs browsers in to the dashboard (a `sign-in` state); without it such states fail. */
  sessions?: SessionCookies;
}

/**
 * GET /oauth/callback: takes the single-use state, exchanges the code, checks that the person who
 * signed in is the one the link was made for, stores their token and resumes the run (or, for a
 * revoke, deletes our copy and the grant). Returns the page to show; never one with a token.
 */
export async function handleOAuthCallback(
  deps: OAuthCallbackDeps,
  query: URLSearchParams,
  cookieHeader?: string,
): Promise<OAuthPage | OAuthRedirect> {
  const state = query.get("state") ?? "";
  if (query.get("error") !== null) {
    // The person pressed "Cancel" on GitHub; the state stays usable so they can change their mind.
    return {
      statusCode: 400,
      title: "Not signed in",
      paragraphs: [
        "GitHub says the authorisation was not granted, so nothing was saved and the review is still waiting.",
        "To continue, open the sign-in link in the pull request again and choose “Authorize”.",
      ],
    };
  }
  const code = query.get("code");
  if (code === null || code === "" || state === "") {
    return badLinkPage("This address is missing its code or state: it was probably cut short.");
  }

  const lookup = await deps.stateStore.consume(state);
  if (lookup.status !== "valid") return stateProblemPage(lookup.status);
  const { record } = lookup;
  if (!isBoundBrowser(record, cookieHeader)) {
    // The person who started it can still finish it in their own browser.
    await deps.stateStore.restore(state, record);
    deps.log.warn(
      { purpose: record.purpose },
      "OAuth callback refused: another browser started it",
    );
    return otherBrowserPage(record.purpose);
  }

  let grant: UserTokenGrant;
  let user: GitHubUser;
  try {
    grant = await deps.oauthClient.exchangeCode(code);
    user = await deps.oauthClient.fetchUser(grant.accessToken);
  } catch (error) {
    await deps.stateStore.restore(state, record);
    return exchangeFailedPage(deps.log, error);
  }

  if (record.purpose === "sign-in") {
    if (deps.sessions === undefined) throw new Error("dashboard sign-in needs session cookies");
    return completeDashboardSignIn({
      vault: deps.vault,
      sessions: deps.sessions,
      record,
      grant,
      user,
    });
  }
  return record.purpose === "authorise"
    ? completeSignIn({ deps, state, record, grant, user })
    : completeRevoke({ deps, grant, user });
}

async function completeSignIn({
  deps,
  state,
  record,
  grant,
  user,
}: SignedInUser & {
  deps: OAuthCallbackDeps;
  state: string;
  record: OAuthStateRecordFor<"authorise">;
}): Promise<OAuthPage> {
  const { pendingRun } = record;
  const run = { installationId: pendingRun.installationId, runId: pendingRun.runId };
  if (user.id !== pendingRun.requesterId) {
    // Their token is dropped, never stored; the link stays valid for the person it was made for.
    await deps.stateStore.restore(state, record);
    deps.log.warn(
      { ...run, signedInAs: user.login, requester: pendingRun.requesterLogin },
      "sign-in link opened by someone other than the requester; token not stored",
    );
    return {
      statusCode: 403,
      title: "This link is for someone else",
      paragraphs: [
        `This sign-in link was made for @${pendingRun.requesterLogin}, but you are signed in to GitHub as @${user.login}.`,
        `Nothing was saved: your access is not attached to @${pendingRun.requesterLogin}'s request.`,
        `If you are @${pendingRun.requesterLogin}, sign out of GitHub, sign in with that account and open the link again. To get a review yourself, mention the bot in the pull request.`,
      ],
    };
  }

  await deps.vault.save({ ...grant, userId: user.id, login: user.login });
  deps.log.info({ ...run, requester: user.login }, "requester authorised; resuming the run");
  const where = `${pendingRun.owner}/${pendingRun.repo}#${pendingRun.pullNumber}`;
  try {
    await deps.onAuthorised(pendingRun);
  } catch (error) {
    deps.log.error({ ...run, err: error }, "requester authorised but resuming the run failed");
    return {
      statusCode: 500,
      title: "Signed in, but the review did not restart",
      paragraphs: [
        `You are signed in as @${user.login}, but the review of ${where} could not be restarted.`,
        "Mention the bot in the pull request again; you will not be asked to sign in again.",
      ],
    };
  }
  return {
    statusCode: 200,
    title: "Signed in",
    paragraphs: [
      `Thanks, @${user.login}. The review of ${where} continues now; progress shows in its status comment. You can close this tab.`,
      "You will not be asked again unless you revoke access (open /oauth/revoke on this bot) or stay away for six months.",
    ],
  };
}

async function completeRevoke({
  deps,
  grant,
  user,
}: SignedInUser & { deps: OAuthCallbackDeps }): Promise<OAuthPage> {
  await deps.vault.delete(user.id);
  try {
    await deps.oauthClient.deleteGrant(grant.accessToken);
  } catch (error) {
    deps.log.error({ user: user.login, err: error }, "deleting the GitHub grant failed");
    return {
      statusCode: 502,
      title: "Partly revoked",
      paragraphs: [
        `We deleted our copy of your token, @${user.login}, but GitHub did not confirm revoking the bot's authorisation.`,
        `Revoke it yourself at ${deps.githubWebUrl}/settings/apps/authorizations.`,
      ],
    };
  }
  deps.log.info({ user: user.login }, "user revoked the bot's authorisation");
  return {
    statusCode: 200,
    title: "Access revoked",
    paragraphs: [
      `Done, @${user.login}: we deleted our copy of your token and revoked the bot's authorisation on GitHub.`,
      "The next persona run you start will ask you to sign in again.",
    ],
  };
}

/** The page for a state that cannot be used: expired, already used, or never made by us. */
export function stateProblemPage(status: Exclude<StateLookup["status"], "valid">): OAuthPage {
  const reasons = {
    expired: "This sign-in link has expired.",
    used: "This sign-in link has already been used.",
    unknown: "This sign-in link is not one the bot made, or it was cut short.",
  } as const;
  return badLinkPage(reasons[status]);
}

function badLinkPage(reason: string): OAuthPage {
  return {
    statusCode: 400,
    title: "This link does not work",
    paragraphs: [
      reason,
      "Nothing was saved. Mention the bot in the pull request again to get a fresh link.",
    ],
  };
}

function exchangeFailedPage(log: Logger, error: unknown): OAuthPage {
  // Our errors carry GitHub's status and error code only, never the code or a token.
  log.warn({ err: error }, "OAuth code exchange failed");
  const refused = error instanceof OAuthGrantRejectedError;
  return {
    statusCode: refused ? 400 : 502,
    title: "Sign-in did not complete",
    paragraphs: [
      refused
        ? "GitHub refused the sign-in code (it expired or was already used). Nothing was saved."
        : "GitHub could not be reached to finish signing in. Nothing was saved.",
      "Open the sign-in link in the pull request again.",
    ],
  };
}
