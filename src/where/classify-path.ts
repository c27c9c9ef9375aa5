/**
 * What kind of file a path is, by patterns that hold in most repositories (never a list made
 * for one project): tests, documentation, build and CI files. The where-model learns per
 * reviewer how much each kind draws their comments.
 */
export interface PathTraits {
  /** Lower-case extension without the dot, `(none)` when the name has none. */
  extension: string;
  /** Ancestor directories, outermost first: `a`, `a/b`, `a/b/c` (empty at the root). */
  directories: string[];
  /** The immediate directory (`.` at the root). */
  directory: string;
  isTest: boolean;
  isDoc: boolean;
  isBuild: boolean;
}

const TEST_DIRECTORY = /(^|\/)(tests?|testing|spec|specs|__tests__|testdata|fixtures?)(\/|$)/i;
const TEST_NAME = /(^test[_-]|[_.-](test|tests|spec)\.[^/]+$|_test$|^tests?\.[^/]+$)/i;
const DOC_EXTENSIONS = new Set(["md", "markdown", "rst", "txt", "adoc", "asciidoc", "org", "tex"]);
const DOC_DIRECTORY = /(^|\/)(docs?|documentation|man)(\/|$)/i;
const DOC_NAME =
  /^(readme|changelog|changes|news|contributing|authors|license|copying|notice|security|history)(\.|$)/i;
const BUILD_NAME =
  /^(makefile|gnumakefile|cmakelists\.txt|configure(\.ac|\.in)?|build\.(gradle|sbt|xml)|pom\.xml|package\.json|cargo\.toml|go\.mod|setup\.(py|cfg)|pyproject\.toml|meson\.build|dockerfile|.*\.(cmake|mk|am|in|m4|bzl|bazel|nix))$/i;
const BUILD_DIRECTORY = /(^|\/)(\.github|\.ci|ci|\.circleci|build-aux|cmake)(\/|$)/i;

/** Traits of one repository path (`src/a/b.c`). Pure. */
export function classifyPath(path: string): PathTraits {
  const parts = path.split("/").filter(Boolean);
  const name = parts.at(-1) ?? "";
  const folders = parts.slice(0, -1);
  const dot = name.lastIndexOf(".");
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : "(none)";
  const directories = folders.map((_, index) => folders.slice(0, index + 1).join("/"));
  const directory = folders.length > 0 ? folders.join("/") : ".";
  const folderPath = `${folders.join("/")}/`;
  return {
    extension,
    directories,
    directory,
    isTest: TEST_DIRECTORY.test(folderPath) || TEST_NAME.test(name),
    isDoc: DOC_EXTENSIONS.has(extension) || DOC_DIRECTORY.test(folderPath) || DOC_NAME.test(name),
    isBuild: BUILD_NAME.test(name) || BUILD_DIRECTORY.test(folderPath),
  };
}
