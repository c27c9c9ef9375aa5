/** The parts of `app.yml` the manifest takes as they are (events, permissions, name, …). */
export type AppYml = Record<string, unknown>;

/** What the registration page posts to GitHub, and what the operator should know about it. */
export interface AppManifestPlan {
  manifest: Record<string, unknown>;
  webhookUrl: string;
  callbackUrl: string;
  /** Problems that would leave the registered app unable to receive webhooks or sign people in. */
  warnings: string[];
}

const isLocalHost = (url: URL) =>
  url.hostname === "localhost" ||
  url.hostname === "::1" ||
  url.hostname === "[::1]" ||
  url.hostname.startsWith("127.") ||
  url.hostname === "0.0.0.0";

/**
 * Builds the GitHub App manifest (https://docs.github.com/apps/sharing-github-apps/registering-a-github-app-from-a-manifest)
 * from `app.yml` plus the URLs of this deployment: GitHub delivers webhooks to
 * WEBHOOK_PROXY_URL (a smee.io channel, in development) or to PUBLIC_URL/api/github/webhooks,
 * and redirects sign-ins to PUBLIC_URL/oauth/callback. `setupOrigin` is where the operator's
 * browser reached this page: GitHub sends the browser back there with the app's credentials.
 */
export function buildAppManifest(params: {
  appYml: AppYml;
  publicUrl: string;
  webhookProxyUrl?: string | undefined;
  setupOrigin: string;
}): AppManifestPlan {
  const publicUrl = new URL(params.publicUrl);
  const base = publicUrl.href.replace(/\/+$/, "");
  const webhookUrl = params.webhookProxyUrl || `${base}/api/github/webhooks`;
  const callbackUrl = `${base}/oauth/callback`;
  const warnings: string[] = [];
  if (!params.webhookProxyUrl && isLocalHost(publicUrl)) {
    warnings.push(
      `PUBLIC_URL is ${publicUrl.origin}, which GitHub cannot reach: the app would never receive a webhook. Set WEBHOOK_PROXY_URL to a channel from https://smee.io/new (development) or PUBLIC_URL to this server's public address, restart, and reload this page.`,
    );
  }
  const { hook_attributes: _hook, callback_urls: _callbacks, ...fromAppYml } = params.appYml;
  return {
    manifest: {
      ...fromAppYml,
      hook_attributes: { url: webhookUrl, active: true },
      callback_urls: [callbackUrl],
      redirect_url: `${params.setupOrigin.replace(/\/+$/, "")}/probot/setup`,
      public: params.appYml.public === true,
    },
    webhookUrl,
    callbackUrl,
    warnings,
  };
}
