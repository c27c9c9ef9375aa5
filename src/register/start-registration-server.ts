import type { Logger } from "pino";
import { Probot, Server } from "probot";
import { createRegistrationHandler } from "./create-registration-handler.js";
import { createRegistrationKey, REGISTRATION_KEY_PARAM } from "./guard-registration.js";

/**
 * Serves the registration flow on PORT/HOST until the operator has registered the app (Probot's
 * static assets included). Probot needs an id and key to construct; none is used here.
 */
export async function startRegistrationServer(params: {
  env: NodeJS.ProcessEnv;
  envPath: string;
  log: Logger;
}): Promise<Server> {
  const { env, log } = params;
  const server = new Server({
    ...(env.HOST ? { host: env.HOST } : {}),
    port: Number(env.PORT) || 3000,
    log,
    Probot: Probot.defaults({ appId: 1, privateKey: "not used before registration", log }),
  });
  const registrationKey = createRegistrationKey();
  server.addHandler(
    createRegistrationHandler({
      env,
      envPath: params.envPath,
      appYmlPath: "app.yml",
      log,
      registrationKey,
    }),
  );
  await server.start();
  const host = env.HOST && env.HOST !== "0.0.0.0" && env.HOST !== "::" ? env.HOST : "localhost";
  // The key is printed here only (the access log drops /probot query strings).
  log.info(
    `No GitHub App yet: open http://${host}:${server.port}/probot on this machine to register it, then restart. From another machine (or through a proxy), open ${(env.PUBLIC_URL || `http://${host}:${server.port}`).replace(/\/+$/, "")}/probot?${REGISTRATION_KEY_PARAM}=${registrationKey} instead: it works until one app is registered or the server restarts.`,
  );
  return server;
}
