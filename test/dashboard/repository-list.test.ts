import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  CookieJar,
  type DashboardKit,
  type GitHubPerson,
  startDashboardKit,
} from "./start-dashboard-kit.js";

/**
 * The dashboard's home page lists every repository of the app's installations the person can
 * read, however many: GitHub pages both lists (at most 100 a page), so the bot follows them.
 */
let kit: DashboardKit;
beforeEach(async () => {
  kit = await startDashboardKit();
});
afterEach(async () => {
  await kit.close();
});

const repos = (count: number) =>
  Array.from(
    { length: count },
    (_, i) => `org-${Math.floor(i / 50)}/repo-${String(i).padStart(3, "0")}`,
  );

async function listedFor(person: GitHubPerson): Promise<string[]> {
  kit.signInToGitHubAs(person);
  const jar = new CookieJar(kit.origin);
  const { response } = await jar.browse(`${kit.origin}/dashboard`);
  expect(response.status).toBe(200);
  const page = await response.text();
  return [...page.matchAll(/<li><a href="\/dashboard\/([^/]+)\/([^/]+)\/feed">/g)].map(
    (match) => `${match[1]}/${match[2]}`,
  );
}

describe("the repository list", () => {
  it("lists all of 250 repositories in one installation, not the first 100", async () => {
    const many = repos(250);
    const listed = await listedFor({ id: 3003, login: "carol", canRead: many });
    expect(listed).toHaveLength(250);
    expect(new Set(listed)).toEqual(new Set(many));
    const pages = kit.github.calls("GET /user/installations/{installation_id}/repositories");
    expect(pages.map((call) => call.query.get("page"))).toEqual(["1", "2", "3"]);
    expect(kit.github.violations).toEqual([]);
  });

  it("follows the installations list past its first page too", async () => {
    const many = repos(120);
    const listed = await listedFor({ id: 4004, login: "dave", canRead: many, installations: 120 });
    expect(listed).toHaveLength(120);
    expect(kit.github.calls("GET /user/installations")).toHaveLength(2);
  });
});
