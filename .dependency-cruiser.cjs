/**
 * Architecture rules, checked by `npm run check` (depcruise). Each rule is shown failing on a
 * deliberate violation in test/architecture/architecture-rules.test.ts.
 * Rooms: src/<room>/. Arrows point down: entry points (src/start) → run → stage libraries →
 * edges (github, llm, store) → config.
 */
/** Rooms that hold the bot's logic: they take clients and plain values, never Probot. */
const DOMAIN_ROOMS = "^src/(?!start/|register/)[^/]+/";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycles-between-rooms",
      comment:
        "Two rooms that import each other read as one: move the shared piece down to a room both may import (a contract module, github/, store/), or pass it in from the entry point.",
      severity: "error",
      scope: "folder",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "no-module-cycles",
      comment: "A module cycle: split out what both sides need.",
      severity: "error",
      from: { path: "^(src|jobs|bench|scripts|support)/" },
      to: { circular: true },
    },
    {
      name: "train-does-not-import-run",
      comment:
        "train/ (the training library and worker) must not know the persona run: its entry point passes in what it needs (resumeRun).",
      severity: "error",
      from: { path: "^src/train/" },
      to: { path: "^src/run/" },
    },
    {
      name: "only-start-imports-the-config-assembler",
      comment:
        "Config is assembled at the entry points (src/start/load-*config.ts): rooms export their zod schemas and take plain values.",
      severity: "error",
      // Tests and their shared support/ kit start processes the way src/start does.
      from: { path: "^(src|jobs|bench|scripts)/", pathNot: "^src/start/" },
      to: { path: "^src/start/load-[a-z-]*config\\.ts$" },
    },
    {
      name: "rooms-do-not-import-entry-points",
      comment: "src/start/ wires rooms together; no room reaches back up into it.",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/start/" },
      to: { path: "^src/start/" },
    },
    {
      name: "bench-does-not-import-test",
      comment:
        "Benchmarks and tests share stand-ins through support/, never through test/'s internals (and support/ itself stays free of test/).",
      severity: "error",
      from: { path: "^(bench|support)/" },
      to: { path: "^test/" },
    },
    {
      name: "domain-rooms-do-not-import-probot",
      comment:
        "Clients (Octokit, Redis, OpenAI) are passed in; only the entry points (and the registration server) know Probot.",
      severity: "error",
      from: { path: DOMAIN_ROOMS },
      to: { path: "(^|/)node_modules/probot/|^probot$" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|dist|docs)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".js", ".mjs", ".cjs", ".json", ".d.ts"],
    },
  },
};
