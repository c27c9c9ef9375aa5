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
    // .ci/run and the quickstart share one script that fetches that line when Node is older.
    for (const script of [".ci/run", "scripts/quickstart.sh"]) {
      expect(read(script)).toContain(". scripts/ensure-node22.sh");
    }
    const ensure = read("scripts/ensure-node22.sh");
    expect(ensure).toContain(
      `major > ${major?.[1]} || (major === ${major?.[1]} && minor >= ${major?.[2]})`,
    );
    expect(ensure).toContain(`@${major?.[1]}"`);
    expect(ensure).toContain(`Node.js ${major?.[1]}.${major?.[2]} or newer`);
  });
});
