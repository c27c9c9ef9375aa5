import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** GitHub's git side as the stand-in serves it: smart HTTP by `git http-backend`. */
export interface GitHttpServer {
  /** `http://127.0.0.1:PORT`: a repository `owner/name` is at `${origin}/owner/name.git`. */
  origin: string;
  /** Authorization headers of every request, to check what git sent (and that it sent it). */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

/**
 * Serves the bare repositories under `root` (`root/owner/name.git`) over git's smart HTTP
 * protocol with git's own CGI program, and answers 401 (as GitHub does) unless the request
 * carries `Authorization: Basic x-access-token:<token>`.
 */
export async function startGitHttpServer(params: {
  root: string;
  token: string;
}): Promise<GitHttpServer> {
  const expected = `Basic ${Buffer.from(`x-access-token:${params.token}`).toString("base64")}`;
  const authorizations: (string | undefined)[] = [];
  const server: Server = createServer((req, res) => {
    authorizations.push(req.headers.authorization);
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="GitHub"' });
      res.end("Authentication failed");
      return;
    }
    const url = new URL(req.url ?? "/", "http://stand-in");
    const cgi = spawn("git", ["http-backend"], {
      env: {
        PATH: process.env.PATH ?? "",
        GIT_PROJECT_ROOT: params.root,
        GIT_HTTP_EXPORT_ALL: "1",
        REQUEST_METHOD: req.method ?? "GET",
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers["content-type"] ?? "",
        HTTP_CONTENT_ENCODING: req.headers["content-encoding"] ?? "",
        REMOTE_ADDR: "127.0.0.1",
        REMOTE_USER: "x-access-token",
        GIT_CONFIG_NOSYSTEM: "1",
      },
      stdio: ["pipe", "pipe", "ignore"],
    });
    req.pipe(cgi.stdin);
    const chunks: Buffer[] = [];
    cgi.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    cgi.on("close", () => {
      const output = Buffer.concat(chunks);
      const end = output.indexOf("\r\n\r\n");
      const head = output.subarray(0, end).toString("utf8");
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of head.split("\r\n")) {
        const [name = "", ...rest] = line.split(":");
        const value = rest.join(":").trim();
        if (name.toLowerCase() === "status") status = Number.parseInt(value, 10);
        else if (name !== "") headers[name] = value;
      }
      res.writeHead(status, headers);
      res.end(output.subarray(end + 4));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    authorizations,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
