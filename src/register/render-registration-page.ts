import type { AppManifestPlan } from "./build-app-manifest.js";

const escapeHtml = (text: string) =>
  text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");

const page = (title: string, body: string) => `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/probot/static/primer.css">
</head>
<body class="p-6" style="max-width: 48rem; margin: auto">
${body}
</body>
</html>
`;

/**
 * The first-start page: what the app will be registered with (webhook and callback URLs),
 * warnings that would make it unusable, and the button that posts the manifest to GitHub.
 */
export function renderRegistrationPage(params: {
  appName: string;
  plan: AppManifestPlan;
  createAppUrl: string;
}): string {
  const warnings = params.plan.warnings
    .map((warning) => `<div class="flash flash-warn mb-3">${escapeHtml(warning)}</div>`)
    .join("\n");
  return page(
    `Register ${params.appName}`,
    `<h1>Register ${escapeHtml(params.appName)} on GitHub</h1>
<p>GitHub creates the app from <code>app.yml</code> with these addresses:</p>
<ul>
<li>Webhook URL: <code id="webhook-url">${escapeHtml(params.plan.webhookUrl)}</code></li>
<li>Callback URL (sign-in): <code id="callback-url">${escapeHtml(params.plan.callbackUrl)}</code></li>
</ul>
${warnings}
<form action="${escapeHtml(params.createAppUrl)}" method="post">
<input type="hidden" name="manifest" id="manifest" value="${escapeHtml(JSON.stringify(params.plan.manifest))}">
<button class="btn btn-primary" type="submit">Register GitHub App</button>
<a href="/probot/import" class="ml-2">or use an existing GitHub App</a>
</form>
<p class="mt-4 text-gray">They come from <code>PUBLIC_URL</code> and <code>WEBHOOK_PROXY_URL</code> in <code>.env</code>; change them there and restart to register with others.</p>`,
  );
}

/** The page for an app that already exists: where its settings are, and which variables to set. */
export function renderImportPage(params: {
  appName: string;
  settingsUrl: string;
  envPath: string;
}): string {
  return page(
    `Use an existing GitHub App for ${params.appName}`,
    `<h1>Use an existing GitHub App</h1>
<p>Open your app's page under <a id="settings-link" href="${escapeHtml(params.settingsUrl)}">${escapeHtml(params.settingsUrl)}</a>
and copy into <code>${escapeHtml(params.envPath)}</code>: <code>APP_ID</code>, <code>PRIVATE_KEY_PATH</code> (the downloaded
<code>.pem</code>), <code>WEBHOOK_SECRET</code>, <code>GITHUB_CLIENT_ID</code> and <code>GITHUB_CLIENT_SECRET</code>; then restart.</p>`,
  );
}

/** After GitHub created the app: where to install it, and to restart. */
export function renderRegisteredPage(params: {
  installUrl: string;
  envPath: string;
  /** GitHub gave no webhook secret: the server will not start until WEBHOOK_SECRET is set. */
  missingWebhookSecret?: boolean;
}): string {
  const secretWarning = params.missingWebhookSecret
    ? `<div class="flash flash-warn mb-3" id="missing-webhook-secret">GitHub returned no webhook secret. Set one on the app's settings page and the same value as <code>WEBHOOK_SECRET</code> in <code>${escapeHtml(params.envPath)}</code> before restarting: the bot does not start without it.</div>`
    : "";
  return page(
    "GitHub App registered",
    `<h1>GitHub App registered</h1>
${secretWarning}
<p>Its credentials are in <code>${escapeHtml(params.envPath)}</code>. Restart the bot (Ctrl-C, then the same command), then
<a href="${escapeHtml(params.installUrl)}">install the app on a repository</a>.</p>`,
  );
}

/** For a browser that is neither on this machine nor holding the one-time key. */
export function renderForbiddenPage(): string {
  return page(
    "Registration not open here",
    `<h1>Registration is not open to this browser</h1>
<p>Registering writes the GitHub App's credentials into the bot's env file, so it is open only to a
browser on the bot's own machine (<code>http://localhost:PORT/probot</code>), or through the one-time
address printed in the server's log when it started (<code>…/probot?key=…</code>; with Docker:
<code>docker compose logs server</code>).</p>`,
  );
}
