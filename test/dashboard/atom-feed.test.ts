import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FeedEntry, recordFeedEntry } from "../../src/feed/feed-store.js";
import {
  alice,
  CookieJar,
  type DashboardKit,
  OWNER,
  REPO,
  startDashboardKit,
} from "./start-dashboard-kit.js";

const run = promisify(execFile);
/** RFC 4287 Appendix B, the Atom format's RELAX NG (compact) schema; see the file's header. */
const SCHEMA = "test/fixtures/atom/rfc4287.rnc";

let kit: DashboardKit;
let dir: string;

beforeAll(async () => {
  kit = await startDashboardKit();
  dir = await mkdtemp(join(tmpdir(), "atom-"));
});

afterAll(async () => {
  await kit.close();
  await rm(dir, { recursive: true, force: true });
});

/** Validates with jing (Debian's `jing` package); a missing jing fails the test, with the fix. */
async function validateAtom(xml: string, name: string): Promise<{ ok: boolean; output: string }> {
  const file = join(dir, `${name}.xml`);
  await writeFile(file, xml);
  try {
    await run("jing", ["-c", SCHEMA, file]);
    return { ok: true, output: "" };
  } catch (error) {
    const failure = error as { code?: unknown; stdout?: string; stderr?: string };
    if (failure.code === "ENOENT")
      throw new Error("This test needs jing: `apt-get install jing` (.ci/run installs it)");
    return { ok: false, output: `${failure.stdout ?? ""}${failure.stderr ?? ""}` };
  }
}

function entry(index: number, summary: string): FeedEntry {
  const sha = String(index).repeat(40).slice(0, 40);
  return {
    id: `push/codertocat/hello-world/${"0".repeat(40)}/${sha}`,
    owner: OWNER,
    repo: REPO,
    branch: "master",
    summary,
    summarySource: "model",
    pusherLogin: "Codertocat",
    pushedAt: new Date(Date.UTC(2026, 10, 29, 10, index)).toISOString(),
    forced: index === 2,
    compareUrl: `https://github.com/${OWNER}/${REPO}/commit/${sha}`,
    commits: [{ sha, url: `https://github.com/${OWNER}/${REPO}/commit/${sha}` }],
    commitCount: 1,
  };
}

describe("the Atom feed", () => {
  it("validates against RFC 4287's schema, served at feed.atom to someone who can read the repo", async () => {
    const keyPrefix = kit.harness.config.QUEUE_PREFIX;
    const emptyJar = new CookieJar(kit.origin);
    kit.signInToGitHubAs(alice);
    const empty = await emptyJar.browse(`${kit.origin}/dashboard/${OWNER}/${REPO}/feed.atom`);
    expect(await validateAtom(await empty.response.text(), "empty")).toEqual({
      ok: true,
      output: "",
    });

    await recordFeedEntry({
      redis: kit.harness.redis,
      keyPrefix,
      entry: entry(1, "Adds a greeting to the README."),
    });
    await recordFeedEntry({
      redis: kit.harness.redis,
      keyPrefix,
      entry: entry(2, 'Force-push: rewrites <script>alert("x")</script> & “quotes” in the README.'),
    });
    const jar = new CookieJar(kit.origin);
    const { response } = await jar.browse(`${kit.origin}/dashboard/${OWNER}/${REPO}/feed.atom`);
    expect(response.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    const xml = await response.text();
    expect(await validateAtom(xml, "two-entries")).toEqual({ ok: true, output: "" });

    // The schema's two Schematron rules, which RELAX NG validators skip: a feed-level author,
    // and an alternate link in every entry.
    expect(xml).toMatch(
      /<feed[^>]*>[\s\S]*?<author><name>tech-lead-bot<\/name><\/author>[\s\S]*?<entry>/,
    );
    const entries = xml.split("<entry>").slice(1);
    expect(entries).toHaveLength(2);
    for (const block of entries)
      expect(block).toMatch(/<link rel="alternate" type="text\/html" href="https:\/\//);
    // Newest first, text escaped, never markup.
    expect(entries[0]).toContain(
      "Force-push: rewrites &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;",
    );
    expect(xml).not.toContain("<script>");
  });

  it("is a real check: the same validator rejects a feed without its id", async () => {
    const broken = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title><updated>2026-11-29T10:00:00Z</updated></feed>`;
    const result = await validateAtom(broken, "broken");
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/id/);
  });
});
