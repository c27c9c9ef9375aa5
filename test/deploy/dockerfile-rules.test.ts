import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { lintDockerfile } from "./support/lint-dockerfile.js";

/**
 * The Dockerfiles read, for the classes of defect an image of this project had: a check in
 * seconds, before scripts/build-images.sh (in .ci/run) builds and starts the images.
 */
const packageJson = JSON.parse(readFileSync("package.json", "utf8"));
const read = (path: string) => readFileSync(path, "utf8");
/** BuildKit reads `<Dockerfile>.dockerignore` beside a Dockerfile before the context's own. */
const ignoreFileOf = (dockerfile: string) =>
  existsSync(`${dockerfile}.dockerignore`)
    ? read(`${dockerfile}.dockerignore`)
    : read(".dockerignore");

describe("the Dockerfiles", () => {
  it.each(["Dockerfile", "trainer/Dockerfile"])("%s has none of the known defects", (path) => {
    expect(
      lintDockerfile({
        dockerfile: read(path),
        dockerignore: ignoreFileOf(path),
        contextDir: ".",
        packageJson,
      }),
    ).toEqual([]);
  });

  it("deploy/vllm-cpu.Dockerfile (context deploy/, as compose.yaml builds it) has none of the known defects", () => {
    expect(
      lintDockerfile({
        dockerfile: read("deploy/vllm-cpu.Dockerfile"),
        dockerignore: existsSync("deploy/.dockerignore") ? read("deploy/.dockerignore") : "",
        contextDir: "deploy",
        packageJson,
      }),
    ).toEqual([]);
  });

  it("finds each defect of the image as it was (verify stage, ruff, npm as PID 1)", () => {
    const problems = lintDockerfile({
      dockerfile: read("test/deploy/support/main-dockerfile.txt"),
      dockerignore: read("test/deploy/support/main-dockerignore.txt"),
      contextDir: ".",
      packageJson: {
        ...packageJson,
        scripts: {
          ...packageJson.scripts,
          check:
            "biome check . && tsc -p tsconfig.json && ruff check trainer && ruff format --check trainer",
        },
      },
    });
    expect(problems).toEqual([
      "COPY test ./test: test is excluded by the ignore file, so the build cannot see it",
      "RUN npm run check && touch /app/.verified: needs `ruff`, which nothing in the stage installs",
      'CMD ["npm","start"]: starts through a package manager, which does not forward SIGTERM to the app; run node directly (under an init such as tini)',
    ]);
  });

  it.each([
    [
      "a source that does not exist",
      "FROM node:22\nCOPY nowhere ./nowhere\n",
      /nowhere does not exist/,
    ],
    [
      "a dev tool after --omit=dev",
      "FROM node:22\nCOPY package.json ./\nRUN npm install --omit=dev\nRUN npx tsc -p tsconfig.json\n",
      /dev dependency typescript/,
    ],
    [
      "a tool without any npm install",
      "FROM node:22\nRUN npx biome check src\n",
      /runs no npm install/,
    ],
    [
      "npm behind tini",
      'FROM node:22\nENTRYPOINT ["tini", "--"]\nCMD ["npm", "start"]\n',
      /package manager/,
    ],
  ])("flags %s", (_label, dockerfile, problem) => {
    expect(
      lintDockerfile({ dockerfile, dockerignore: "", contextDir: ".", packageJson }).join("\n"),
    ).toMatch(problem);
  });
});
