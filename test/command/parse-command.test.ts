import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/command/parse-command.js";

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
