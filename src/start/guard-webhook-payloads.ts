import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { Probot } from "probot";

type NodeMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: () => void,
) => Promise<boolean | undefined>;

/**
 * GitHub caps webhook payloads at 25 MB ("Payloads are capped at 25 MB": GitHub's webhook
 * docs); a larger body cannot be a delivery, and bodies are held in memory until the signature
 * is checked.
 */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;
/** How long the rest of a refused body is read (and dropped) before the connection is cut. */
const DISCARD_MS = 10_000;

/**
 * Wraps Probot's webhook middleware so that a correctly signed payload the bot cannot use (not
 * JSON, not an object, or missing fields `findProblems` names) is answered 400 with one warning
 * line, before Probot's handlers would turn it into a 500 and two error logs. Anything else
 * (unsigned or wrongly signed requests, other content types) goes to Probot unchanged, except
 * that a body over {@link MAX_WEBHOOK_BYTES} (declared or streamed) is answered 413 unread.
 */
export function guardWebhookPayloads(params: {
  middleware: NodeMiddleware;
  path: string;
  verify: (payload: string, signature: string) => Promise<boolean>;
  findProblems: (eventName: string, payload: unknown) => string[];
  log: Logger;
}): NodeMiddleware {
  return async (req, res, next) => {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname.replace(/\/+$/, "");
    const signature = req.headers["x-hub-signature-256"];
    const isJson = /^\s*application\/json\s*(;|$)/.test(req.headers["content-type"] ?? "");
    if (
      req.method === "POST" &&
      pathname === params.path &&
      Number(req.headers["content-length"]) > MAX_WEBHOOK_BYTES
    ) {
      return refuseTooLarge(req, res, params.log);
    }
    if (
      req.method !== "POST" ||
      pathname !== params.path ||
      typeof signature !== "string" ||
      !isJson
    ) {
      return params.middleware(req, res, next);
    }
    const raw = await readBody(req, MAX_WEBHOOK_BYTES);
    if (raw === undefined) return refuseTooLarge(req, res, params.log);
    // Probot's middleware reads a string body instead of the stream we just consumed.
    Object.assign(req, { body: raw });
    const eventName = String(req.headers["x-github-event"] ?? "");
    const deliveryId = String(req.headers["x-github-delivery"] ?? "");
    let problems: string[];
    if (raw === "") {
      // Nothing to verify or act on (the signature library refuses an empty payload).
      problems = ["the payload is empty"];
    } else if (!(await params.verify(raw, signature).catch(() => false))) {
      return params.middleware(req, res, next);
    } else {
      try {
        problems = params.findProblems(eventName, JSON.parse(raw));
      } catch {
        problems = ["the payload is not valid JSON"];
      }
    }
    if (problems.length === 0) return params.middleware(req, res, next);
    params.log.warn(
      { event: eventName, deliveryId, problems: problems.slice(0, 10) },
      "webhook payload rejected (400): it lacks fields the bot needs; nothing was queued",
    );
    res.writeHead(400, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: `Unusable ${eventName} payload: ${problems.join("; ")}` }));
    return true;
  };
}

/**
 * A Probot class whose webhook middleware is guarded by {@link guardWebhookPayloads}: pass it as
 * the `Probot` option of Probot's `Server`.
 */
export function withGuardedWebhooks(
  ProbotClass: typeof Probot,
  guard: Pick<Parameters<typeof guardWebhookPayloads>[0], "findProblems" | "log">,
): typeof Probot {
  return class GuardedProbot extends ProbotClass {
    readonly #path: string;
    constructor(options: ConstructorParameters<typeof Probot>[0] = {}) {
      super(options);
      this.#path = options.webhookPath ?? "/api/github/webhooks";
    }
    override async getNodeMiddleware(options: Parameters<Probot["getNodeMiddleware"]>[0] = {}) {
      const middleware = (await super.getNodeMiddleware(options)) as NodeMiddleware;
      return guardWebhookPayloads({
        middleware,
        path: (options.path ?? this.#path).replace(/\/+$/, ""),
        verify: (payload, signature) => this.webhooks.verify(payload, signature),
        ...guard,
      }) as Awaited<ReturnType<Probot["getNodeMiddleware"]>>;
    }
  };
}

/** The body as text, or undefined (reading stops) once it runs past `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      stop();
      req.pause();
      resolve(undefined);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks).toString("utf8"));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}

/**
 * 413. The rest of the body is read and dropped (never kept), so the sender can finish writing
 * and read the answer; a sender still going after {@link DISCARD_MS} is cut off.
 */
function refuseTooLarge(req: IncomingMessage, res: ServerResponse, log: Logger): true {
  log.warn(
    {
      event: String(req.headers["x-github-event"] ?? ""),
      deliveryId: String(req.headers["x-github-delivery"] ?? ""),
      contentLength: req.headers["content-length"] ?? null,
    },
    `webhook body refused (413): over GitHub's ${MAX_WEBHOOK_BYTES / 1024 / 1024} MB payload cap`,
  );
  res.writeHead(413, { "content-type": "application/json" });
  res.end(
    JSON.stringify({
      error: `Payload too large: webhook bodies are at most ${MAX_WEBHOOK_BYTES} bytes`,
    }),
  );
  const cutOff = setTimeout(() => req.socket.destroy(), DISCARD_MS).unref();
  req.once("close", () => clearTimeout(cutOff));
  req.resume();
  return true;
}
