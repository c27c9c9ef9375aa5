import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type AppHarness, startAppHarness } from "../../support/app-harness.js";
import {
  deliverWebhook,
  eventually,
  issueCommentOnIssue,
  issueCommentOnPullRequest,
} from "../../support/webhooks.js";
import { liveMarkup } from "../support/live-markup.js";
import { stubIntake } from "../support/stub-intake.js";

/**
 * The bad-input suite for what people write: commands (hidden, malformed, hostile) and
 * `.github/tech-lead-bot.yml` files, each delivered as a signed webhook to the server's wiring
 * (Probot's verifyAndReceive → intake worker → stand-in GitHub checked against GitHub's OpenAPI
 * description), each with the one outcome a user should see.
 */
const REQUESTER = "octo-dev";
const STATUS_MARKER = "<!-- tech-lead-bot:status";

type Permission = "admin" | "write" | "triage" | "read" | "none";
type Outcome =
  | { kind: "ignored" }
  | { kind: "silent" }
  | { kind: "reply"; says: RegExp }
  | { kind: "run"; reviewer: string; forceReload?: boolean };

interface Case {
  label: string;
  body: string;
  permission?: Permission;
  onIssue?: boolean;
  login?: string;
  userType?: "User" | "Bot";
  configYaml?: string;
  outcome: Outcome;
}

const ignored: Outcome = { kind: "ignored" };
const silent: Outcome = { kind: "silent" };
const usage = (problem: RegExp = /./): Outcome => ({
  kind: "reply",
  says: new RegExp(`I could not read that command: .*${problem.source}`),
});
const run = (reviewer: string, forceReload = false): Outcome => ({
  kind: "run",
  reviewer,
  forceReload,
});
const refusedByConfig = (says: RegExp): Outcome => ({ kind: "reply", says });

const CASES: Case[] = [
  // Not a command a reader sees: nothing happens, GitHub is not even asked.
  { label: "an empty comment", body: "", outcome: ignored },
  { label: "only whitespace", body: " \n\t\n ", outcome: ignored },
  { label: "an indented code block", body: "    @tech-lead-bot alice", outcome: ignored },
  {
    label: "indented code after a paragraph",
    body: "Try:\n\n    @tech-lead-bot alice",
    outcome: ignored,
  },
  { label: "a tab-indented line", body: "\t@tech-lead-bot alice", outcome: ignored },
  { label: "an HTML comment", body: "<!-- @tech-lead-bot alice -->", outcome: ignored },
  { label: "a multi-line HTML comment", body: "<!--\n@tech-lead-bot alice\n-->", outcome: ignored },
  {
    label: "an HTML comment with blank lines",
    body: "hi\n<!--\n\n@tech-lead-bot alice\n\n-->",
    outcome: ignored,
  },
  { label: "an HTML block", body: "<details>\n@tech-lead-bot alice\n</details>", outcome: ignored },
  { label: "a fenced block", body: "```\n@tech-lead-bot alice\n```", outcome: ignored },
  { label: "a tilde fence", body: "~~~md\n@tech-lead-bot alice\n~~~", outcome: ignored },
  { label: "an unclosed fence", body: "```\n@tech-lead-bot alice", outcome: ignored },
  { label: "a code span", body: "run `@tech-lead-bot alice` to try", outcome: ignored },
  { label: "a code span spanning lines", body: "a `x\n@tech-lead-bot alice` b", outcome: ignored },
  { label: "a double-backtick span", body: "``@tech-lead-bot alice``", outcome: ignored },
  { label: "a quote", body: "> @tech-lead-bot alice", outcome: ignored },
  { label: "a lazy quote line", body: "> earlier\n@tech-lead-bot alice", outcome: ignored },
  { label: "a quote in a list", body: "- > @tech-lead-bot alice", outcome: ignored },
  { label: "a heading", body: "# @tech-lead-bot alice", outcome: ignored },
  { label: "a table cell", body: "| @tech-lead-bot alice |\n| --- |", outcome: ignored },
  { label: "struck through", body: "~~@tech-lead-bot alice~~", outcome: ignored },
  { label: "an image's alt text", body: "![@tech-lead-bot alice](x.png)", outcome: ignored },
  { label: "a mid-sentence mention", body: "thanks @tech-lead-bot alice!", outcome: ignored },
  { label: "another bot's handle", body: "@tech-lead-bot-2 alice", outcome: ignored },
  { label: "the handle run on", body: "@tech-lead-botalice", outcome: ignored },
  {
    label: "a zero-width space in the handle",
    body: "@tech\u200b-lead-bot alice",
    outcome: ignored,
  },
  { label: "a Cyrillic look-alike handle", body: "@t\u0435ch-lead-bot alice", outcome: ignored },
  { label: "a NUL before the handle", body: "\u0000@tech-lead-bot alice", outcome: ignored },
  { label: "100 kB without a command", body: "word ".repeat(20_000), outcome: ignored },
  {
    label: "a bot's comment",
    body: "@tech-lead-bot alice",
    login: "dependabot[bot]",
    userType: "Bot",
    outcome: ignored,
  },
  {
    label: "a [bot] login typed as a user",
    body: "@tech-lead-bot alice",
    login: "tech-lead-bot[bot]",
    outcome: ignored,
  },

  // Malformed, from someone with write access: one usage reply, nothing live in it.
  { label: "no login", body: "@tech-lead-bot", outcome: usage(/no reviewer login/) },
  {
    label: "only a flag",
    body: "@tech-lead-bot --force-reload",
    outcome: usage(/no reviewer login/),
  },
  {
    label: "an unknown flag",
    body: "@tech-lead-bot alice --dry-run",
    outcome: usage(/unknown option/),
  },
  {
    label: "two logins",
    body: "@tech-lead-bot alice bob",
    outcome: usage(/expected one login, got 2/),
  },
  {
    label: "an underscore login",
    body: "@tech-lead-bot al_ice",
    outcome: usage(/is not a GitHub login/),
  },
  {
    label: "a leading hyphen",
    body: "@tech-lead-bot -alice",
    outcome: usage(/is not a GitHub login/),
  },
  {
    label: "a 40-character login",
    body: `@tech-lead-bot ${"a".repeat(40)}`,
    outcome: usage(/is not a GitHub login/),
  },
  {
    label: "a 5,000-character word",
    body: `@tech-lead-bot ${"a".repeat(5000)}`,
    outcome: usage(/is not a GitHub login/),
  },
  { label: "a double @", body: "@tech-lead-bot @@alice", outcome: usage(/is not a GitHub login/) },
  { label: "an emoji", body: "@tech-lead-bot 🙂", outcome: usage(/is not a GitHub login/) },
  {
    label: "a zero-width space after the login",
    body: "@tech-lead-bot alice\u200b",
    outcome: usage(/is not a GitHub login/),
  },
  {
    label: "a backtick breaking out to a team mention",
    body: "@tech-lead-bot x`@octo-org/everyone",
    outcome: usage(),
  },
  { label: "a fence run before a mention", body: "@tech-lead-bot ```@everyone", outcome: usage() },
  {
    label: "a flag carrying an image",
    body: "@tech-lead-bot alice --x`<img src=https://evil.example/p.png>`",
    outcome: usage(/unknown option/),
  },
  {
    label: "raw HTML as the login",
    body: "@tech-lead-bot <img src=x onerror=alert(1)>",
    outcome: usage(/no reviewer login/),
  },
  {
    label: "a Markdown link",
    body: "@tech-lead-bot [log in](https://evil.example/login) now",
    outcome: usage(/expected one login, got 3/),
  },
  {
    label: "a bare URL",
    body: "@tech-lead-bot https://evil.example/login",
    outcome: usage(/is not a GitHub login/),
  },
  {
    label: "an issue reference",
    body: "@tech-lead-bot octo-org/repo#1",
    outcome: usage(/is not a GitHub login/),
  },
  {
    label: "bold around two words",
    body: "@tech-lead-bot **alice** bob",
    outcome: usage(/expected one login, got 2/),
  },
  {
    label: "forget with a flag",
    body: "@tech-lead-bot forget alice --force-reload",
    outcome: usage(/takes one login/),
  },
  {
    label: "forget with a bad login",
    body: "@tech-lead-bot forget al_ice",
    outcome: usage(/is not a GitHub login/),
  },
  {
    label: "forget with mentions",
    body: "@tech-lead-bot forget `@octo-org/everyone",
    outcome: usage(/is not a GitHub login/),
  },

  // The same from people without write access: no reply at all.
  {
    label: "a team-mention attempt (read)",
    body: "@tech-lead-bot x`@octo-org/everyone",
    permission: "read",
    outcome: silent,
  },
  { label: "no login (no access)", body: "@tech-lead-bot", permission: "none", outcome: silent },
  {
    label: "an unknown flag (triage)",
    body: "@tech-lead-bot alice --dry-run",
    permission: "triage",
    outcome: silent,
  },
  {
    label: "a command on an issue (read)",
    body: "@tech-lead-bot alice",
    permission: "read",
    onIssue: true,
    outcome: silent,
  },
  {
    label: "a valid command (read): the refusal says who can",
    body: "@tech-lead-bot alice",
    permission: "read",
    outcome: { kind: "reply", says: /only people with write, maintain or admin permission/ },
  },
  {
    label: "a command on a plain issue (write)",
    body: "@tech-lead-bot alice",
    onIssue: true,
    outcome: { kind: "reply", says: /I review pull requests only/ },
  },

  // Good commands in odd surroundings still run.
  { label: "after a paragraph", body: "Looks big.\n\n@tech-lead-bot alice", outcome: run("alice") },
  { label: "after bold text", body: "**Please**\n@tech-lead-bot alice", outcome: run("alice") },
  {
    label: "after an HTML comment",
    body: "<!-- note -->\n\n@tech-lead-bot alice",
    outcome: run("alice"),
  },
  { label: "shouted", body: "@TECH-LEAD-BOT ALICE --FORCE-RELOAD", outcome: run("ALICE", true) },
  { label: "with CRLF line ends", body: "hi\r\n@tech-lead-bot alice\r\n", outcome: run("alice") },
  { label: "after a list", body: "- one\n- two\n\n@tech-lead-bot alice", outcome: run("alice") },
  {
    label: "after a quoted command",
    body: "> @tech-lead-bot bob\n\n@tech-lead-bot alice",
    outcome: run("alice"),
  },
  {
    label: "after a fenced command",
    body: "```\n@tech-lead-bot bob\n```\n@tech-lead-bot alice",
    outcome: run("alice"),
  },
  {
    label: "as a link's text",
    body: "[@tech-lead-bot alice](https://example.com)",
    outcome: run("alice"),
  },
  {
    label: "by an admin with @login",
    body: "@tech-lead-bot @alice",
    permission: "admin",
    outcome: run("alice"),
  },

  // .github/tech-lead-bot.yml, checked before any history is collected.
  {
    label: "config: not YAML",
    body: "@tech-lead-bot alice",
    configYaml: "personas: [oops",
    outcome: refusedByConfig(/is not valid YAML/),
  },
  {
    label: "config: braces",
    body: "@tech-lead-bot alice",
    configYaml: "{{{",
    outcome: refusedByConfig(/is not valid YAML/),
  },
  {
    label: "config: deny not a list",
    body: "@tech-lead-bot alice",
    configYaml: "personas:\n  deny: alice\n",
    outcome: refusedByConfig(/`personas.deny` must be a list/),
  },
  {
    label: "config: enabled a string",
    body: "@tech-lead-bot alice",
    configYaml: 'enabled: "no"\n',
    outcome: refusedByConfig(/`enabled` must be true or false/),
  },
  {
    label: "config: turned off",
    body: "@tech-lead-bot alice",
    configYaml: "enabled: false\n",
    outcome: refusedByConfig(/persona reviews are turned off/),
  },
  {
    label: "config: reviewer denied",
    body: "@tech-lead-bot alice",
    configYaml: "personas:\n  deny: [ALICE]\n",
    outcome: refusedByConfig(/does not allow reviews in `alice`'s style/),
  },
  {
    label: "config: max_comments over 30",
    body: "@tech-lead-bot alice",
    configYaml: "review:\n  max_comments: 99\n",
    outcome: refusedByConfig(/review.max_comments cannot exceed 30/),
  },
  {
    label: "config: max_comments zero",
    body: "@tech-lead-bot alice",
    configYaml: "review:\n  max_comments: 0\n",
    outcome: refusedByConfig(/`review.max_comments`/),
  },
  {
    label: "config: max_hunks negative",
    body: "@tech-lead-bot alice",
    configYaml: "review:\n  max_hunks: -5\n",
    outcome: refusedByConfig(/`review.max_hunks`/),
  },
  {
    label: "config: ignore not a list",
    body: "@tech-lead-bot alice",
    configYaml: "review:\n  ignore: docs/**\n",
    outcome: refusedByConfig(/review.ignore must be a list of glob patterns/),
  },
  {
    label: "config: an empty glob",
    body: "@tech-lead-bot alice",
    configYaml: 'review:\n  ignore: [""]\n',
    outcome: refusedByConfig(/an ignore glob cannot be empty/),
  },
  {
    label: "config: an unknown review key",
    body: "@tech-lead-bot alice",
    configYaml: "review:\n  colour: blue\n",
    outcome: refusedByConfig(/`review`/),
  },
  {
    label: "config: a key that mentions a team",
    body: "@tech-lead-bot alice",
    configYaml: 'review:\n  "@octo-org/everyone": 1\n',
    outcome: refusedByConfig(/`review`/),
  },
  {
    label: "config: review not a map",
    body: "@tech-lead-bot alice",
    configYaml: "review: yes\n",
    outcome: refusedByConfig(/`review`/),
  },
  {
    label: "config: a valid review section",
    body: "@tech-lead-bot alice",
    configYaml: 'review:\n  ignore: ["docs/**"]\n  max_comments: 5\n',
    outcome: run("alice"),
  },
  {
    label: "config: an empty file",
    body: "@tech-lead-bot alice",
    configYaml: "",
    outcome: run("alice"),
  },
];

let harness: AppHarness;

beforeEach(async () => {
  harness = await startAppHarness();
  harness.startIntake();
});

afterEach(async () => {
  expect(harness.github.violations).toEqual([]);
  await harness.close();
});

function stubRepository(params: { permission: Permission; configYaml?: string }) {
  const { github } = harness;
  stubIntake(github, { headSha: "5".repeat(40), statusCommentId: 4_100 });
  const legacy = { admin: "admin", write: "write", triage: "read", read: "read", none: "none" };
  github.on("GET /repos/{owner}/{repo}/collaborators/{username}/permission", {
    body: { permission: legacy[params.permission], role_name: params.permission },
  });
  github.on("GET /repos/{owner}/{repo}/contents/{path}", (req) =>
    params.configYaml === undefined || !req.pathname.startsWith("/repos/Codertocat/Hello-World/")
      ? { status: 404, body: { message: "Not Found" } }
      : {
          headers: { "content-type": "application/vnd.github.raw; charset=utf-8" },
          body: params.configYaml,
        },
  );
}

const posted = () =>
  harness.github
    .calls("POST /repos/{owner}/{repo}/issues/{issue_number}/comments")
    .map((req) => (req.body as { body: string }).body);

describe(`bad input from people (${CASES.length} cases)`, () => {
  it.each(CASES)("$label", async (entry) => {
    stubRepository({
      permission: entry.permission ?? "write",
      ...(entry.configYaml === undefined ? {} : { configYaml: entry.configYaml }),
    });
    const options = {
      body: entry.body,
      login: entry.login ?? REQUESTER,
      ...(entry.userType ? { userType: entry.userType } : {}),
    };
    const payload = entry.onIssue
      ? issueCommentOnIssue(options)
      : issueCommentOnPullRequest(options);
    await deliverWebhook({ probot: harness.probot, name: "issue_comment", payload });
    await eventually(async () => {
      const counts = await harness.commandQueue.getJobCounts("waiting", "active", "delayed");
      expect(Object.values(counts).reduce((sum, count) => sum + count, 0)).toBe(0);
    });

    const { outcome } = entry;
    const replies = posted().filter((body) => !body.startsWith(STATUS_MARKER));
    const statuses = posted().filter((body) => body.startsWith(STATUS_MARKER));
    const runs = await harness.personaQueue.getJobs(["waiting"]);
    if (outcome.kind === "ignored") {
      expect(harness.github.requests).toEqual([]);
      expect(await harness.commandQueue.count()).toBe(0);
      return;
    }
    if (outcome.kind === "silent") {
      expect(replies).toEqual([]);
      expect(
        harness.github.requests.filter((req) => req.method !== "GET").map((req) => req.route),
      ).toEqual(["POST /app/installations/{installation_id}/access_tokens"]);
    }
    if (outcome.kind === "reply") {
      expect(replies).toHaveLength(1);
      expect(replies[0]).toMatch(outcome.says);
      expect(replies[0]?.startsWith(`@${REQUESTER} `)).toBe(true);
      expect(liveMarkup(replies[0] ?? "", [REQUESTER])).toEqual([]);
      expect(statuses).toEqual([]);
    }
    if (outcome.kind === "run") {
      expect(replies).toEqual([]);
      expect(statuses).toHaveLength(1);
      expect(runs.map((job) => [job.data.reviewerLogin, job.data.forceReload])).toEqual([
        [outcome.reviewer, outcome.forceReload ?? false],
      ]);
      return;
    }
    expect(runs).toEqual([]);
  });
});
