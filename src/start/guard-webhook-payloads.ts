import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { Probot } from "probot";

type NodeMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: () => void,
) => Promise<boolean | undefined>;

/**
 * Wraps Probot's webhook middleware so that a correctly signed payload the bot cannot use (not
 * JSON, not an object, or missing fields `findProblems` names) is answered 400 with one warning
 * line, before Probot's handlers would turn it into a 500 and two error logs. Anything else
 * (unsigned or wrongly signed requests, other content types) goes to Probot unchanged.
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
      req.method !== "POST" ||
      pathname !== params.path ||
      typeof signature !== "string" ||
      !isJson
    ) {
      return params.middleware(req, res, next);
    }
    const raw = await readBody(req);
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

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
