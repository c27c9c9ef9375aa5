import type { Logger } from "pino";
import { Probot, Server } from "probot";
import { createRegistrationHandler } from "./create-registration-handler.js";

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
  server.addHandler(
    createRegistrationHandler({ env, envPath: params.envPath, appYmlPath: "app.yml", log }),
  );
  await server.start();
  log.info(
    `No GitHub App yet: open http://${env.HOST && env.HOST !== "0.0.0.0" ? env.HOST : "localhost"}:${server.port}/probot to register it, then restart.`,
  );
  return server;
}
