import { describe, expect, it } from "vitest";
import { classifyPath } from "../../src/where/classify-path.js";

describe("classifyPath", () => {
  it.each([
    [
      "src/secp256k1.c",
      { extension: "c", directory: "src", isTest: false, isDoc: false, isBuild: false },
    ],
    [
      "src/tests.c",
      { extension: "c", directory: "src", isTest: true, isDoc: false, isBuild: false },
    ],
    [
      "src/modules/ecdh/tests_impl.h",
      {
        extension: "h",
        directory: "src/modules/ecdh",
        isTest: false,
        isDoc: false,
        isBuild: false,
      },
    ],
    [
      "test/unit/parse.test.ts",
      { extension: "ts", directory: "test/unit", isTest: true, isDoc: false, isBuild: false },
    ],
    [
      "pkg/server/handler_test.go",
      { extension: "go", directory: "pkg/server", isTest: true, isDoc: false, isBuild: false },
    ],
    [
      "tests/test_api.py",
      { extension: "py", directory: "tests", isTest: true, isDoc: false, isBuild: false },
    ],
    ["README.md", { extension: "md", directory: ".", isTest: false, isDoc: true, isBuild: false }],
    [
      "doc/release-process.md",
      { extension: "md", directory: "doc", isTest: false, isDoc: true, isBuild: false },
    ],
    [
      "CHANGELOG",
      { extension: "(none)", directory: ".", isTest: false, isDoc: true, isBuild: false },
    ],
    [
      "Makefile.am",
      { extension: "am", directory: ".", isTest: false, isDoc: false, isBuild: true },
    ],
    [
      "CMakeLists.txt",
      { extension: "txt", directory: ".", isTest: false, isDoc: true, isBuild: true },
    ],
    [
      "cmake/CheckX86.cmake",
      { extension: "cmake", directory: "cmake", isTest: false, isDoc: false, isBuild: true },
    ],
    [
      ".github/workflows/ci.yml",
      {
        extension: "yml",
        directory: ".github/workflows",
        isTest: false,
        isDoc: false,
        isBuild: true,
      },
    ],
    [
      "configure.ac",
      { extension: "ac", directory: ".", isTest: false, isDoc: false, isBuild: true },
    ],
  ])("%s", (path, expected) => {
    expect(classifyPath(path)).toMatchObject(expected);
  });

  it("lists every ancestor directory, outermost first", () => {
    expect(classifyPath("a/b/c/d.rs").directories).toEqual(["a", "a/b", "a/b/c"]);
    expect(classifyPath("d.rs").directories).toEqual([]);
  });
});
