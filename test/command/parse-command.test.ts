import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/command/parse-command.js";
import { liveMarkup } from "../support/live-markup.js";

const botHandle = "tech-lead-bot";
const review = (reviewerLogin: string, forceReload = false) => ({
  kind: "review",
  reviewerLogin,
  forceReload,
});
const usage = (fragment: string) => ({ kind: "usage", problem: expect.stringContaining(fragment) });

describe("parseCommand", () => {
  it.each([
    ["@tech-lead-bot alice", review("alice")],
    ["@tech-lead-bot @alice", review("alice")],
    ["@Tech-Lead-Bot alice", review("alice")],
    ["@TECH-LEAD-BOT Alice-B", review("Alice-B")],
    ["  @tech-lead-bot   alice  ", review("alice")],
    ["@tech-lead-bot alice --force-reload", review("alice", true)],
    ["@tech-lead-bot --force-reload alice", review("alice", true)],
    ["@tech-lead-bot alice --FORCE-RELOAD", review("alice", true)],
    ["Please have a look.\n@tech-lead-bot a1\nthanks", review("a1")],
    ["@tech-lead-bot alice\n@tech-lead-bot bob", review("alice")],
    [`@tech-lead-bot ${"a".repeat(39)}`, review("a".repeat(39))],
    ["@tech-lead-bot\talice\r\n", review("alice")],
    // Paragraph text, however it is laid out, is what a reader sees.
    ["<!-- a note -->\n\n@tech-lead-bot alice", review("alice")],
    ["   @tech-lead-bot alice", review("alice")],
    ["Hi,\n\n    code\n\n@tech-lead-bot alice", review("alice")],
    ["**Please** review\n@tech-lead-bot alice", review("alice")],
    ["line one  \n@tech-lead-bot alice", review("alice")],
    ["- item\n\n@tech-lead-bot alice", review("alice")],
  ])("reads %j as a review command", (body, expected) => {
    expect(parseCommand({ body, botHandle })).toEqual(expected);
  });

  it.each([
    ["@tech-lead-bot forget alice", { kind: "forget", reviewerLogin: "alice" }],
    ["@tech-lead-bot FORGET @Alice-B", { kind: "forget", reviewerLogin: "Alice-B" }],
    // A lone `forget` is a user named forget, with or without flags.
    ["@tech-lead-bot forget", review("forget")],
    ["@tech-lead-bot forget --force-reload", review("forget", true)],
    [
      "@tech-lead-bot forget alice --force-reload",
      usage("`forget` takes one login and no options"),
    ],
    ["@tech-lead-bot forget al_ice", usage("not a GitHub login")],
    ["@tech-lead-bot forget alice bob", usage("expected one login, got 3")],
  ])("reads %j as a forget command, or not", (body, expected) => {
    expect(parseCommand({ body, botHandle })).toEqual(expected);
  });

  it.each([
    ["@tech-lead-bot", usage("no reviewer login")],
    ["@tech-lead-bot --force-reload", usage("no reviewer login")],
    ["@tech-lead-bot alice --force", usage("unknown option `--force`")],
    ["@tech-lead-bot alice --dry-run", usage("unknown option")],
    ["@tech-lead-bot alice bob", usage("expected one login, got 2")],
    ["@tech-lead-bot -alice", usage("not a GitHub login")],
    ["@tech-lead-bot alice-", usage("not a GitHub login")],
    ["@tech-lead-bot al--ice", usage("not a GitHub login")],
    ["@tech-lead-bot al_ice", usage("not a GitHub login")],
    [`@tech-lead-bot ${"a".repeat(40)}`, usage("not a GitHub login")],
    ["@tech-lead-bot @", usage("not a GitHub login")],
  ])("reads %j as a malformed command", (body, expected) => {
    expect(parseCommand({ body, botHandle })).toEqual(expected);
  });

  it.each([
    ["no mention at all"],
    ["thanks @tech-lead-bot alice for the help"],
    ["@tech-lead-bot-2 alice"],
    ["@tech-lead-botalice"],
    ["`@tech-lead-bot alice`"],
    ["> @tech-lead-bot alice"],
    [" > @tech-lead-bot alice"],
    ["```\n@tech-lead-bot alice\n```"],
    ["~~~md\n@tech-lead-bot alice\n~~~"],
    ["````\n```\n@tech-lead-bot alice\n```\n````"],
    ["``@tech-lead-bot alice``"],
    // Hidden from readers: GitHub renders none of these as text a person reads as a command.
    ["    @tech-lead-bot alice"],
    ["Look:\n\n    @tech-lead-bot alice"],
    ["\t@tech-lead-bot alice"],
    ["<!-- @tech-lead-bot alice -->"],
    ["<!--\n@tech-lead-bot alice\n-->"],
    ["text\n<!--\n\n@tech-lead-bot alice\n\n-->"],
    ["<details>\n@tech-lead-bot alice\n</details>"],
    ["> quoted\n@tech-lead-bot alice"],
    ["> a\n>\n> @tech-lead-bot alice"],
    ["- > @tech-lead-bot alice"],
    ["```\n@tech-lead-bot alice"],
    ["a `code span\n@tech-lead-bot alice` across lines"],
    ["# @tech-lead-bot alice"],
  ])("finds no command in %j", (body) => {
    expect(parseCommand({ body, botHandle })).toBeUndefined();
  });

  it("uses the first command after a quoted or fenced one", () => {
    const body = "> @tech-lead-bot bob\n```\n@tech-lead-bot carol\n```\n@tech-lead-bot alice";
    expect(parseCommand({ body, botHandle })).toEqual(review("alice"));
  });

  it("honours a configured handle", () => {
    expect(parseCommand({ body: "@reviewbot alice", botHandle: "reviewbot" })).toEqual(
      review("alice"),
    );
    expect(parseCommand({ body: "@tech-lead-bot alice", botHandle: "reviewbot" })).toBeUndefined();
  });
});

describe("what a malformed command quotes back", () => {
  it.each([
    "@tech-lead-bot x`@octo-org/everyone",
    "@tech-lead-bot `@octo-org/everyone`",
    "@tech-lead-bot x``@everyone``y",
    "@tech-lead-bot ```@everyone",
    "@tech-lead-bot alice --x`<img src=https://evil.example/p.png>`",
    "@tech-lead-bot <img/src=https://evil.example/p.png>",
    "@tech-lead-bot [log in](https://evil.example/login)",
    "@tech-lead-bot ![x](https://evil.example/p.png)",
    "@tech-lead-bot https://evil.example/login",
    "@tech-lead-bot www.evil.example",
    "@tech-lead-bot <https://evil.example>",
    "@tech-lead-bot octo-org/repo#1",
    "@tech-lead-bot GH-12 x",
    "@tech-lead-bot #3",
    "@tech-lead-bot alice bob `@carol` @dave",
    "@tech-lead-bot forget `@octo-org/everyone",
    "@tech-lead-bot x<!--",
    "@tech-lead-bot a\\`@everyone",
    `@tech-lead-bot ${"`".repeat(20)}@everyone${"`".repeat(7)}`,
    `@tech-lead-bot ${"@everyone".repeat(60)}`,
    `@tech-lead-bot ${Array(5).fill("`".repeat(45)).join(" ")}`,
    `@tech-lead-bot --${"`".repeat(60)}`,
  ])("renders %j inert", (body) => {
    const parsed = parseCommand({ body, botHandle });
    expect(parsed?.kind).toBe("usage");
    const problem = parsed?.kind === "usage" ? parsed.problem : "";
    expect(liveMarkup(problem)).toEqual([]);
    expect(problem.length).toBeLessThanOrEqual(300);
  });
});
