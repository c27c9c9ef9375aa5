import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { resolveGitHubUrls } from "../config/resolve-github-urls.js";
import { type AppYml, buildAppManifest } from "./build-app-manifest.js";
import {
  renderImportPage,
  renderRegisteredPage,
  renderRegistrationPage,
} from "./render-registration-page.js";
import { updateEnvFile } from "./update-env-file.js";

const conversionSchema = z.object({
  id: z.number(),
  slug: z.string().optional(),
  html_url: z.string(),
  client_id: z.string(),
  client_secret: z.string(),
  webhook_secret: z.string().nullable(),
  pem: z.string(),
});

/** Where the operator's browser reached this server (honouring a reverse proxy's headers). */
function requestOrigin(req: IncomingMessage): string {
  const forwardedProto = String(req.headers["x-forwarded-proto"] ?? "").split(",")[0];
  const protocol = forwardedProto || ("encrypted" in req.socket ? "https" : "http");
  const host = String(req.headers["x-forwarded-host"] ?? req.headers.host ?? "localhost");
  return `${protocol}://${host}`;
}

const send = (res: ServerResponse, status: number, html: string) =>
  res.writeHead(status, { "content-type": "text/html; charset=utf-8" }).end(html);

/**
 * The first-start registration flow (what Probot's setup page does, with the webhook and
 * callback URLs this app needs): `/probot` posts a manifest built from app.yml, PUBLIC_URL and
 * WEBHOOK_PROXY_URL to GitHub; `/probot/setup` exchanges GitHub's code for the app's
 * credentials and writes them into the env file, keeping its comments.
 */
export function createRegistrationHandler(params: {
  env: NodeJS.ProcessEnv;
  envPath: string;
  appYmlPath: string;
  log: Logger;
}) {
  const { env, envPath, log } = params;
  const github = resolveGitHubUrls({
    gheHost: env.GHE_HOST,
    gheProtocol: env.GHE_PROTOCOL || undefined,
  });
  const appYml = parseYaml(readFileSync(params.appYmlPath, "utf8")) as AppYml;
  const appName = String(appYml.name ?? "tech-lead-bot");

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== "GET") return false;
    const url = new URL(req.url ?? "/", "http://local");
    if (url.pathname === "/") {
      res.writeHead(302, { location: "/probot" }).end();
      return true;
    }
    if (url.pathname === "/probot") {
      const origin = requestOrigin(req);
      const plan = buildAppManifest({
        appYml,
        publicUrl: env.PUBLIC_URL || origin,
        webhookProxyUrl: env.WEBHOOK_PROXY_URL || undefined,
        setupOrigin: origin,
      });
      for (const warning of plan.warnings) log.warn(warning);
      const organisation = env.GH_ORG ? `/organizations/${encodeURIComponent(env.GH_ORG)}` : "";
      send(
        res,
        200,
        renderRegistrationPage({
          appName,
          plan,
          createAppUrl: `${github.webUrl}${organisation}/settings/apps/new`,
        }),
      );
      return true;
    }
    if (url.pathname === "/probot/import") {
      send(
        res,
        200,
        renderImportPage({ appName, settingsUrl: `${github.webUrl}/settings/apps`, envPath }),
      );
      return true;
    }
    if (url.pathname === "/probot/setup") {
      const code = url.searchParams.get("code");
      if (!code || !/^[A-Za-z0-9_-]+$/.test(code)) {
        send(res, 400, "GitHub's code is missing or malformed: start again at /probot");
        return true;
      }
      const response = await fetch(
        `${github.apiUrl}/app-manifests/${encodeURIComponent(code)}/conversions`,
        { method: "POST", headers: { accept: "application/vnd.github+json" } },
      );
      const parsed = conversionSchema.safeParse(await response.json().catch(() => undefined));
      if (!response.ok || !parsed.success) {
        log.error({ status: response.status }, "GitHub refused the app manifest conversion");
        send(
          res,
          502,
          `GitHub refused to create the app (HTTP ${response.status}); the code is single-use and expires after an hour: start again at /probot`,
        );
        return true;
      }
      const app = parsed.data;
      updateEnvFile({
        path: envPath,
        values: {
          APP_ID: String(app.id),
          PRIVATE_KEY: app.pem,
          ...(app.webhook_secret ? { WEBHOOK_SECRET: app.webhook_secret } : {}),
          GITHUB_CLIENT_ID: app.client_id,
          GITHUB_CLIENT_SECRET: app.client_secret,
        },
        env,
      });
      log.info(
        { appId: app.id, envPath },
        "GitHub App registered: its credentials are in the env file; restart to start the bot",
      );
      send(
        res,
        200,
        renderRegisteredPage({ installUrl: `${app.html_url}/installations/new`, envPath }),
      );
      return true;
    }
    return false;
  };
}
