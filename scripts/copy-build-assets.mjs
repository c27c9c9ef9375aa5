// The second half of `npm run build`: tsc emits only JavaScript, but the compiled code reads
// files beside its modules (src/dashboard/dashboard.css) and the prompt templates at
// ../../prompts from dist/src/prompts. Copying them keeps `node dist/src/…` (the images' command)
// reading what `tsx src/…` reads. Plain JavaScript so that it runs with node alone.
//   node scripts/copy-build-assets.mjs [outDir]      (default dist, as tsconfig.build.json)
import { cpSync } from "node:fs";

const outDir = process.argv[2] ?? "dist";
// Every non-TypeScript file of the trees tsc compiles (tsconfig.build.json's `include`).
for (const root of ["src", "jobs"]) {
  cpSync(root, `${outDir}/${root}`, {
    recursive: true,
    filter: (source) => !source.endsWith(".ts"),
  });
}
cpSync("prompts", `${outDir}/prompts`, { recursive: true });
