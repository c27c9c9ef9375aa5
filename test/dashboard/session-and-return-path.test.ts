import { describe, expect, it } from "vitest";
import { parseFernetKeyList } from "../../src/auth/create-fernet-keyring.js";
import { safeReturnPath } from "../../src/auth/dashboard-sign-in.js";
import { generateFernetKeyText } from "../../src/auth/parse-fernet-key.js";
import { createSessionCookies } from "../../src/auth/session-cookie.js";

describe("safeReturnPath", () => {
  it.each([
    ["/dashboard/o/r/feed?page=2", "/dashboard/o/r/feed?page=2"],
    ["/dashboard", "/dashboard"],
    ["https://evil.example/dashboard", "/dashboard"],
    ["//evil.example/dashboard", "/dashboard"],
    ["/dashboardevil", "/dashboard"],
    ["/dashboard/\\evil.example", "/dashboard"],
    ["/oauth/revoke", "/dashboard"],
    [null, "/dashboard"],
  ])("%j → %j", (candidate, expected) => {
    expect(safeReturnPath(candidate)).toBe(expected);
  });
});

describe("session cookies", () => {
  const oldKey = generateFernetKeyText();
  const newKey = generateFernetKeyText();
  const cookieOf = (line: string) => line.split(";")[0] ?? "";

  it("still reads a session signed with an older key after a rotation, and not with a foreign one", () => {
    const before = createSessionCookies({
      keys: parseFernetKeyList(oldKey),
      publicUrl: "http://x",
    });
    const after = createSessionCookies({
      keys: parseFernetKeyList(`${newKey},${oldKey}`),
      publicUrl: "http://x",
    });
    const stranger = createSessionCookies({
      keys: parseFernetKeyList(newKey),
      publicUrl: "http://x",
    });
    const cookie = cookieOf(before.issue({ id: 5, login: "alice" }));
    expect(after.read(cookie)).toMatchObject({ userId: 5, login: "alice" });
    expect(stranger.read(cookie)).toBeUndefined();
  });

  it.each([
    ["no cookie", undefined],
    ["garbage", "tlb_session=abc"],
    ["a truncated signature", "TRUNCATE"],
  ])("reads %s as signed out", (_, header) => {
    const sessions = createSessionCookies({
      keys: parseFernetKeyList(oldKey),
      publicUrl: "http://x",
    });
    const value =
      header === "TRUNCATE" ? cookieOf(sessions.issue({ id: 5, login: "a" })).slice(0, -3) : header;
    expect(sessions.read(value)).toBeUndefined();
  });
});
