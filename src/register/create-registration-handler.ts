import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { resolveGitHubUrls } from "../config/resolve-github-urls.js";
import { type AppYml, buildAppManifest } from "./build-app-manifest.js";
import {
  hasRegistrationCookie,
  isLocalRequest,
  isRegistrationKey,
  REGISTRATION_KEY_PARAM,
  registrationCookie,
} from "./guard-registration.js";
import {
  renderForbiddenPage,
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

const REGISTRATION_PATHS = new Set(["/", "/probot", "/probot/import", "/probot/setup"]);

const send = (res: ServerResponse, status: number, html: string) =>
  res.writeHead(status, { "content-type": "text/html; charset=utf-8" }).end(html);

/**
 * The first-start registration flow (what Probot's setup page does, with the webhook and
 * callback URLs this app needs): `/probot` posts a manifest built from app.yml, PUBLIC_URL and
 * WEBHOOK_PROXY_URL to GitHub; `/probot/setup` exchanges GitHub's code for the app's
 * credentials and writes them into the env file, keeping its comments. Served only to a browser
 * on this machine, or to one that opened the one-time address printed in the log (a cookie);
 * one registration per start.
 */
export function createRegistrationHandler(params: {
  env: NodeJS.ProcessEnv;
  envPath: string;
  appYmlPath: string;
  log: Logger;
  /** This start's one-time key (printed in the log): lets a browser elsewhere register. */
  registrationKey: string;
}) {
  const { env, envPath, log } = params;
  const github = resolveGitHubUrls({
    gheHost: env.GHE_HOST,
    gheProtocol: env.GHE_PROTOCOL || undefined,
  });
  const appYml = parseYaml(readFileSync(params.appYmlPath, "utf8")) as AppYml;
  const appName = String(appYml.name ?? "tech-lead-bot");

  const key = params.registrationKey;
  // One registration per start: afterwards .env holds an app, and no other code may replace it.
  let registered = false;

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== "GET") return false;
    const url = new URL(req.url ?? "/", "http://local");
    if (!REGISTRATION_PATHS.has(url.pathname)) return false;
    // Probot's access log prints req.url when the response ends: keep the key and code out of it.
    req.url = url.pathname;
    const presented = url.searchParams.get(REGISTRATION_KEY_PARAM);
    if (presented !== null && !registered && isRegistrationKey(presented, key)) {
      // The one-time address: a cookie for this browser, and the key out of its address bar.
      url.searchParams.delete(REGISTRATION_KEY_PARAM);
      res
        .writeHead(303, {
          location: `${url.pathname}${url.search}`,
          "set-cookie": registrationCookie(key, requestOrigin(req).startsWith("https:")),
          "cache-control": "no-store",
        })
        .end();
      return true;
    }
    if (!isLocalRequest(req) && !hasRegistrationCookie(req, key)) {
      log.warn(
        { path: url.pathname, remoteAddress: req.socket.remoteAddress },
        "registration page refused: not from this machine and without the one-time key",
      );
      send(res, 403, renderForbiddenPage());
      return true;
    }
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
      if (registered) {
        send(
          res,
          409,
          "The GitHub App is already registered and its credentials are in the env file: restart the bot.",
        );
        return true;
      }
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
      registered = true;
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
      if (!app.webhook_secret) {
        log.warn(
          "GitHub returned no webhook secret: set one on the app's settings page and as WEBHOOK_SECRET in the env file before restarting (the server refuses to start without it)",
        );
      }
      send(
        res,
        200,
        renderRegisteredPage({
          installUrl: `${app.html_url}/installations/new`,
          envPath,
          missingWebhookSecret: !app.webhook_secret,
        }),
      );
      return true;
    }
    return false;
  };
}
