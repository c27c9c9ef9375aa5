import { describe, expect, it } from "vitest";
import { parseLlmVerdict } from "../../src/backports/ask-llm-for-verdict.js";
import { decideVerdict, describeFeature } from "../../src/backports/decide-verdict.js";
import { extractCommitFeatures, subjectTag } from "../../src/backports/extract-commit-features.js";
import { findBackportTrailers } from "../../src/backports/find-backport-trailers.js";
import { pickSiblingBranches } from "../../src/backports/find-history-branches.js";
import { findLandingDates } from "../../src/backports/find-landing-dates.js";
import { findMessageHints } from "../../src/backports/find-message-hints.js";
import { webUrlFromRemote } from "../../src/backports/find-web-url.js";
import { linkReferences } from "../../src/backports/link-references.js";
import { marksFix } from "../../src/backports/mark-fix-subject.js";
import { matchBackports } from "../../src/backports/match-backports.js";
import {
  bugfixRuleSaysBackport,
  keywordRuleSaysBackport,
} from "../../src/backports/one-line-rules.js";
import { scoreF1 } from "../../src/backports/score-f1.js";
import type { ModelJudgement } from "../../src/backports/verdict-model.js";

const A = "a".repeat(40);
const B = "b".repeat(40);
const C = "c".repeat(40);

describe("findBackportTrailers", () => {
  it.each([
    [
      "Fix it\n\n(cherry picked from commit 0123456789abcdef0123456789abcdef01234567)",
      ["0123456789abcdef0123456789abcdef01234567"],
    ],
    ["[3.2.x] Fixed #1 -- thing.\n\nBackport of 4a5b6c7d8e9f from main.", ["4a5b6c7d8e9f"]],
    [`commit ${A} upstream.\n\nbody`, [A]],
    ["Upstream commit: 0123456789ab", ["0123456789ab"]],
    ["x\n\ncherry-picked from abcdef1", ["abcdef1"]],
    ["Mentions commit abcdef1234 in passing", []],
    [
      "(cherry picked from commit 1111111)\n(cherry picked from commit 2222222)",
      ["1111111", "2222222"],
    ],
  ])("%j → %j", (message, expected) => {
    expect(findBackportTrailers(message)).toEqual(expected);
  });
});

describe("matchBackports", () => {
  it("follows a pick of a pick, matches abbreviated ids and patch ids, keeps the earliest copy", () => {
    const matches = matchBackports({
      devCommits: [{ sha: A }, { sha: B, patchId: "p-b" }, { sha: C }],
      stableCommits: [
        {
          sha: "1".repeat(40),
          commitDate: "2024-02-01T00:00:00Z",
          message: `x\n\n(cherry picked from commit ${"9".repeat(40)})`,
        },
        { sha: "2".repeat(40), commitDate: "2024-01-10T00:00:00Z", message: "y", patchId: "p-b" },
        {
          sha: "3".repeat(40),
          commitDate: "2024-03-01T00:00:00Z",
          message: `(cherry picked from commit ${"c".repeat(12)})`,
        },
        {
          sha: "4".repeat(40),
          commitDate: "2024-02-15T00:00:00Z",
          message: `(cherry picked from commit ${"c".repeat(12)})`,
        },
      ],
      // "9…" is a commit of another stable branch, itself picked from A.
      messagesOf: new Map([["9".repeat(40), `(cherry picked from commit ${A})`]]),
    });
    expect(matches.get(A)).toEqual({
      backportSha: "1".repeat(40),
      backportDate: "2024-02-01T00:00:00Z",
      via: "trailer",
    });
    expect(matches.get(B)?.via).toBe("patch-id");
    expect(matches.get(C)?.backportSha).toBe("4".repeat(40));
  });
});

describe("findLandingDates", () => {
  it("dates a merged branch's commits by the merge, and mainline commits by themselves", () => {
    const landed = findLandingDates(
      [
        { sha: "m2", parents: ["m1", "t2"], commitDate: "D-merge" },
        { sha: "t2", parents: ["t1"], commitDate: "D-t2" },
        { sha: "t1", parents: ["base"], commitDate: "D-t1" },
        { sha: "m1", parents: ["base"], commitDate: "D-m1" },
      ],
      "m2",
    );
    expect(Object.fromEntries(landed)).toEqual({
      m1: "D-m1",
      m2: "D-merge",
      t1: "D-merge",
      t2: "D-merge",
    });
  });
});

describe("features", () => {
  it.each([
    ["BUG/MEDIUM: mux-h2: fix crash", "bug/medium"],
    ["fix(cri): handle nil", "fix(cri)"],
    ["[net] fix: x", "net"],
    ["Update the README: typos", ""],
    ["plain subject", ""],
  ])("subjectTag(%j) = %j", (subject, tag) => {
    expect(subjectTag(subject)).toBe(tag);
  });

  it("names subject words, tag, folders, test-only changes and size; never people's names", () => {
    const features = extractCommitFeatures({
      subject: "runtime: fix panic on exit",
      message:
        "runtime: fix panic on exit\n\nSee #12.\n\nSigned-off-by: Jane Roe <jane@example.com>",
      files_changed: ["runtime/v2/shim_test.go", "runtime/v2/testdata/x.json"],
      insertions: 3,
      deletions: 1,
      stableAgeDays: 10,
    });
    expect([...features.keys()]).toEqual(
      expect.arrayContaining([
        "s:panic",
        "s2:fix_panic",
        "tag:runtime",
        "trailer:signed-off-by",
        "ref:issue",
        "dir1:runtime",
        "dir2:runtime/v2",
        "ext:go",
        "only:tests",
        "size:tiny",
        "stable:month",
      ]),
    );
    expect([...features.keys()].some((name) => /jane|roe/i.test(name))).toBe(false);
    expect(describeFeature("s2:fix_panic")).toBe('subject words "fix panic"');
  });
});

describe("one-line rules and the fix mark", () => {
  it.each([
    ["This should be backported to 2.8.", true],
    ["Needs to go to release-1.7 as well", true],
    ["Cherry-picked for the 3.x LTS", true],
    ["Bump foo from 1.2.3 to 1.2.4", false],
    ["Add a widget", false],
  ])("keyword rule on %j is %s", (message, expected) => {
    expect(keywordRuleSaysBackport(message)).toBe(expected);
  });

  it.each([
    ["BUG/MINOR: h1: fix parsing", true, true],
    ["fix(cri): nil map", true, true],
    ["Fixes the scheduler", true, true],
    ["DOC: update the management guide", false, true],
    ["docs: fix typo in README", true, true],
    ["feature: add prefix matching", false, false],
    ["prefix: add option", false, false],
  ])("%j: bug-fix rule %s, bold %s", (subject, rule, bold) => {
    expect(bugfixRuleSaysBackport(subject)).toBe(rule);
    expect(marksFix(subject)).toBe(bold);
  });

  it("a configured convention decides alone", () => {
    expect(marksFix("MINOR: things", /^(BUG|DOC)\//)).toBe(false);
    expect(marksFix("BUG/MINOR: things", /^(BUG|DOC)\//)).toBe(true);
  });
});

describe("scoreF1", () => {
  it("scores precision, recall and F1 of the positive class", () => {
    expect(scoreF1([true, true, false, false], [true, false, true, false])).toMatchObject({
      precision: 0.5,
      recall: 0.5,
      f1: 0.5,
    });
    expect(scoreF1([false, false], [true, false]).f1).toBe(0);
  });
});

describe("parseLlmVerdict", () => {
  it.each([
    [
      "VERDICT: yes\nREASON: Fixes a crash present since 2.6.",
      "yes",
      "Fixes a crash present since 2.6.",
    ],
    [
      "verdict: Wait\nreason: large change,\n  let it settle.",
      "wait",
      "large change, let it settle.",
    ],
    ["**Verdict**: no", undefined, undefined],
    ["VERDICT: no", "no", "(the LLM gave no reason)"],
    ["Verdict - unsure\nReason: depends on abc1234", "uncertain", "depends on abc1234"],
  ])("%j", (text, verdict, reason) => {
    if (verdict === undefined) {
      expect(() => parseLlmVerdict(text)).toThrow(/no VERDICT line/);
      return;
    }
    expect(parseLlmVerdict(text)).toEqual({ verdict, reason });
  });
});

describe("decideVerdict", () => {
  const judgement = (verdict: ModelJudgement["verdict"]): ModelJudgement => ({
    verdict,
    pBackport: verdict === "no" ? 0.1 : 0.8,
    pWait: 0.2,
    topFeatures: [{ name: "s:crash", contribution: 0.9 }],
  });

  it("is uncertain where the LLM and the model disagree, and says both", () => {
    const decision = decideVerdict({
      model: { judgement: judgement("no"), threshold: 0.4 },
      llm: { verdict: "yes", reason: "Fixes #12, a crash." },
      missing: {},
      hints: [],
    });
    expect(decision.verdict).toBe("uncertain");
    expect(decision.reason).toContain("The LLM says backport now: Fixes #12, a crash.");
    expect(decision.reason).toContain("Verdict model: no backport (p=0.10");
  });

  it("keeps the model's call with the LLM's reason where they agree", () => {
    const decision = decideVerdict({
      model: { judgement: judgement("wait"), threshold: 0.4 },
      llm: { verdict: "yes", reason: "Fixes a crash." },
      missing: {},
      hints: [],
    });
    expect(decision.verdict).toBe("wait");
    expect(decision.reason.split("\n")[0]).toBe("Fixes a crash.");
  });

  it("says when the LLM decided alone, and when nobody could", () => {
    expect(
      decideVerdict({
        llm: { verdict: "no", reason: "A feature." },
        missing: { model: "not enough history" },
        hints: [],
      }).reason,
    ).toContain("The LLM alone decided: not enough history");
    const none = decideVerdict({
      missing: { model: "not enough history", llm: "no LLM" },
      hints: ["Should be backported to 2.8."],
    });
    expect(none.verdict).toBe("uncertain");
    expect(none.reason).toContain('"Should be backported to 2.8."');
  });
});

describe("message hints, links and web addresses", () => {
  it("quotes the lines that state intent, versions and references, not people or bump noise", () => {
    const hints = findMessageHints(
      "fix: x\n\nThis must be backported to 2.8 and later.\nBumps foo from 1.2.3 to 1.2.4.\nSigned-off-by: A <a@b>\nFixes: #45",
    );
    expect(hints).toEqual(["This must be backported to 2.8 and later.", "Fixes: #45"]);
  });

  it("links issues and commit ids inside escaped text, and nothing else", () => {
    const html = linkReferences(
      'See #12 and abc1234 <img src=x onerror="alert(1)"> & deadbeef.',
      "https://github.com/acme/shop",
    );
    expect(html).toBe(
      'See <a href="https://github.com/acme/shop/issues/12">#12</a> and <a href="https://github.com/acme/shop/commit/abc1234">abc1234</a> &lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; deadbeef.',
    );
    expect(linkReferences("a\nb #1")).toBe("a<br>b #1");
  });

  it.each([
    ["git@github.com:acme/shop.git", "https://github.com/acme/shop"],
    ["https://github.com/acme/shop", "https://github.com/acme/shop"],
    [
      "https://token@gitlab.example.com/group/sub/shop.git",
      "https://gitlab.example.com/group/sub/shop",
    ],
    ["/srv/git/shop.git", undefined],
  ])("webUrlFromRemote(%j) = %j", (remote, url) => {
    expect(webUrlFromRemote(remote)).toBe(url);
  });

  it("finds sibling stable branches by the shape of the name", () => {
    expect(
      pickSiblingBranches({
        refs: [
          "refs/heads/release/1.6",
          "refs/remotes/origin/release/1.5",
          "refs/heads/release/1.7",
          "refs/heads/main",
          "refs/heads/release/notes",
          "refs/heads/release/1.7-rc",
        ],
        stable: "release/1.7",
        dev: "main",
      }).sort(),
    ).toEqual(["release/1.5", "release/1.6"]);
  });
});
