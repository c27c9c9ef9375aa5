import { randomBytes } from "node:crypto";
import {
  type AppHarness,
  startAppHarness,
  TEST_CLIENT_ID,
  TEST_CLIENT_SECRET,
} from "../../support/app-harness.js";
import { TEST_INSTALLATION_ID } from "../../support/webhooks.js";

export const OWNER = "Codertocat";
export const REPO = "Hello-World";

export interface GitHubPerson {
  id: number;
  login: string;
  /** `owner/repo` names this person can read. */
  canRead: string[];
  /** How many installations those repositories are spread over (default 1). */
  installations?: number;
}

/**
 * One page of `items` as GitHub pages list endpoints: `per_page` (default 30, at most 100) and
 * `page` (from 1), with a `Link` header naming the next and last pages.
 */
export function githubPage<T>(
  req: { pathname: string; query: URLSearchParams },
  items: T[],
): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(100, Math.max(1, Number(req.query.get("per_page") ?? 30) || 30));
  const page = Math.max(1, Number(req.query.get("page") ?? 1) || 1);
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number, rel: string) =>
    `<http://stand-in/api/v3${req.pathname}?per_page=${perPage}&page=${n}>; rel="${rel}"`;
  const links = [
    ...(page < lastPage ? [link(page + 1, "next"), link(lastPage, "last")] : []),
    ...(page > 1 ? [link(1, "first"), link(page - 1, "prev")] : []),
  ];
  return {
    page: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(", ") } : {},
  };
}

export const alice: GitHubPerson = { id: 1001, login: "alice", canRead: [`${OWNER}/${REPO}`] };
export const mallory: GitHubPerson = { id: 2002, login: "mallory", canRead: [] };

/**
 * The app harness plus GitHub's user side, over HTTP on the same stand-in GitHub (checked
 * against GitHub's OpenAPI description): the authorise page (which "clicks Authorize" for
 * whoever is signed in to GitHub in the test), the token exchange, `GET /user`, the user's
 * installations and repositories, and `GET /repos/{owner}/{repo}` answered 404 to people who
 * cannot read the repository, as GitHub does.
 */
export async function startDashboardKit(env: Record<string, string> = {}) {
  const harness: AppHarness = await startAppHarness(env);
  const { github } = harness;
  const people = new Map<string, GitHubPerson>();
  const codes = new Map<string, GitHubPerson>();
  let signedInToGitHub: GitHubPerson = alice;

  github.on("GET /login/oauth/authorize", (req) => {
    const redirectUri = req.query.get("redirect_uri") ?? "";
    const state = req.query.get("state") ?? "";
    if (req.query.get("client_id") !== TEST_CLIENT_ID || redirectUri === "")
      return { status: 400, body: "bad authorize request" };
    const code = randomBytes(10).toString("hex");
    codes.set(code, signedInToGitHub);
    return {
      status: 302,
      headers: { location: `${redirectUri}?${new URLSearchParams({ code, state })}` },
    };
  });
  github.on("POST /login/oauth/access_token", (req) => {
    const body = req.body as Record<string, string>;
    const person = codes.get(body.code ?? "");
    if (body.client_id !== TEST_CLIENT_ID || body.client_secret !== TEST_CLIENT_SECRET || !person)
      return { body: { error: "bad_verification_code" } };
    codes.delete(body.code ?? "");
    const accessToken = `ghu_${randomBytes(18).toString("base64url")}`;
    people.set(accessToken, person);
    return {
      body: {
        access_token: accessToken,
        expires_in: 28_800,
        refresh_token: `ghr_${randomBytes(36).toString("base64url")}`,
        refresh_token_expires_in: 15_897_600,
        token_type: "bearer",
        scope: "",
      },
    };
  });
  const personOf = (authorization: string | undefined) =>
    people.get((authorization ?? "").replace(/^(bearer|token) /i, ""));
  const unauthorised = { status: 401, body: { message: "Bad credentials" } };
  const repository = (fullName: string) => {
    const [owner = "", name = ""] = fullName.split("/");
    return {
      id: 1296269,
      name,
      full_name: fullName,
      private: true,
      owner: { login: owner, id: 1, type: "User" },
      default_branch: "master",
      permissions: { pull: true, push: false, admin: false },
    };
  };
  github.on("GET /user", (req) => {
    const person = personOf(req.headers.authorization);
    return person ? { body: { id: person.id, login: person.login, type: "User" } } : unauthorised;
  });
  // Repository i of a person sits in installation TEST_INSTALLATION_ID + (i mod their count).
  const installationsOf = (person: GitHubPerson) =>
    person.canRead.length === 0
      ? []
      : Array.from({ length: person.installations ?? 1 }, (_, i) => ({
          id: TEST_INSTALLATION_ID + i,
        }));
  github.on("GET /user/installations", (req) => {
    const person = personOf(req.headers.authorization);
    if (!person) return unauthorised;
    const all = installationsOf(person);
    const { page, headers } = githubPage(req, all);
    return { headers, body: { total_count: all.length, installations: page } };
  });
  github.on("GET /user/installations/{installation_id}/repositories", (req) => {
    const person = personOf(req.headers.authorization);
    if (!person) return unauthorised;
    const count = person.installations ?? 1;
    const index = Number(req.pathname.split("/")[3]) - TEST_INSTALLATION_ID;
    const all = person.canRead.filter((_, i) => i % count === index).map(repository);
    const { page, headers } = githubPage(req, all);
    return { headers, body: { total_count: all.length, repositories: page } };
  });
  github.on("GET /repos/{owner}/{repo}", (req) => {
    const person = personOf(req.headers.authorization);
    if (!person) return unauthorised;
    const fullName = req.pathname.split("/").slice(2, 4).join("/");
    const readable = person.canRead.some((name) => name.toLowerCase() === fullName.toLowerCase());
    return readable
      ? { body: repository(fullName) }
      : { status: 404, body: { message: "Not Found" } };
  });

  return {
    harness,
    github,
    origin: harness.httpOrigin,
    /** Every access token the stand-in issued (pages must never show one). */
    issuedTokens: () => [...people.keys()],
    /** Who "Authorize" on the stand-in's authorise page signs in as. */
    signInToGitHubAs(person: GitHubPerson) {
      signedInToGitHub = person;
    },
    close: () => harness.close(),
  };
}

export type DashboardKit = Awaited<ReturnType<typeof startDashboardKit>>;

/** Cookies as a browser keeps them for one origin (name → value), for fetch-based tests. */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  readonly setCookieLines: string[] = [];

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      this.setCookieLines.push(line);
      const [pair = ""] = line.split(";");
      const [name = "", ...rest] = pair.split("=");
      const value = rest.join("=");
      if (/max-age=0/i.test(line) || value === "") this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
  }

  /** GETs `url` like a browser: follows redirects by hand, sending and keeping cookies. */
  async browse(
    url: string,
    init: { method?: string } = {},
  ): Promise<{ response: Response; url: string; hops: string[] }> {
    let current = url;
    let method = init.method ?? "GET";
    const hops: string[] = [];
    for (let hop = 0; hop < 10; hop++) {
      const sameOrigin = new URL(current).origin;
      const response = await fetch(current, {
        method,
        redirect: "manual",
        headers:
          this.cookies.size > 0 && sameOrigin === this.origin ? { cookie: this.header() } : {},
      });
      if (sameOrigin === this.origin) this.take(response);
      const location = response.headers.get("location");
      if (response.status < 300 || response.status >= 400 || location === null)
        return { response, url: current, hops };
      current = new URL(location, current).toString();
      hops.push(current);
      method = "GET";
    }
    throw new Error(`too many redirects from ${url}`);
  }

  constructor(readonly origin: string) {}
}
