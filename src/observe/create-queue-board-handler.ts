import type { IncomingMessage, ServerResponse } from "node:http";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import type { Queue } from "bullmq";
import express from "express";
import { requestHasToken } from "./check-token.js";

export const QUEUE_BOARD_PATH = "/admin/queues";

/**
 * Whether a state-changing request shows it comes from the board's own page: its Origin (or,
 * without one, its Referer) is this server's host (Host, or a reverse proxy's X-Forwarded-Host),
 * and Sec-Fetch-Site, when sent, says same-origin. A request with neither header is refused:
 * browsers send Origin on every write, so only something else would leave both out.
 */
function isSameOrigin(req: IncomingMessage): boolean {
  const site = req.headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin") return false;
  const source = req.headers.origin ?? req.headers.referer;
  if (source === undefined || source === "null") return false;
  let sourceHost: string;
  try {
    sourceHost = new URL(source).host;
  } catch {
    return false;
  }
  const forwardedHost = String(req.headers["x-forwarded-host"] ?? "")
    .split(",")[0]
    ?.trim();
  return sourceHost === req.headers.host || (!!forwardedHost && sourceHost === forwardedHost);
}

/** A Bearer token is never attached by a browser on its own, so such a request is not forged. */
const isBearer = (req: IncomingMessage) => /^bearer /i.test(req.headers.authorization ?? "");

/**
 * bull-board for every queue at /admin/queues, for the holder of ADMIN_TOKEN only: a browser
 * gets a login prompt (HTTP Basic, any user name, the token as password); scripts may send
 * `Authorization: Bearer <ADMIN_TOKEN>`. Without ADMIN_TOKEN the route does not exist (404).
 * Browsers resend Basic credentials to any site's requests, so Basic-authenticated writes
 * (retry, clean, …) must carry a same-origin Origin or Referer; Bearer-authenticated ones (a
 * script's) need not.
 */
export function createQueueBoardHandler(params: { token: string | undefined; queues: Queue[] }) {
  const { token } = params;
  if (!token) return async () => false;
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: params.queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
  });
  const board = express();
  board.disable("x-powered-by");
  board.use(QUEUE_BOARD_PATH, serverAdapter.getRouter());

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? "").split("?")[0] ?? "";
    if (path !== QUEUE_BOARD_PATH && !path.startsWith(`${QUEUE_BOARD_PATH}/`)) return false;
    if (!requestHasToken(req, token)) {
      res
        .writeHead(401, {
          "www-authenticate": 'Basic realm="tech-lead-bot queues", charset="UTF-8"',
          "content-type": "text/plain",
        })
        .end("401: the queue board needs ADMIN_TOKEN (as the Basic password or a Bearer token)\n");
      return true;
    }
    if (req.method !== "GET" && req.method !== "HEAD" && !isBearer(req) && !isSameOrigin(req)) {
      res.writeHead(403, { "content-type": "text/plain" }).end("403: cross-site request refused\n");
      return true;
    }
    await new Promise<void>((resolve) => {
      res.on("finish", resolve);
      res.on("close", resolve);
      board(req as express.Request, res as express.Response, () => {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      });
    });
    return true;
  };
}
