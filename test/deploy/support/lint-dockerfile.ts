import { existsSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import picomatch from "picomatch";

/** One instruction of a Dockerfile, continuation lines joined, comments dropped. */
interface Instruction {
  keyword: string;
  args: string;
  stage: Stage;
}

interface Stage {
  name: string | undefined;
  base: string;
  /** What the stage installed: `npm install` (with or without dev dependencies), apt and pip. */
  npmInstall: "none" | "production" | "all";
  installedTools: Set<string>;
  parent: Stage | undefined;
}

export interface LintInput {
  /** Dockerfile text. */
  dockerfile: string;
  /** The ignore file that applies to it (`<Dockerfile>.dockerignore`, else the context's). */
  dockerignore: string;
  /** The build context (the repository root). */
  contextDir: string;
  packageJson: { scripts: Record<string, string>; devDependencies?: Record<string, string> };
}

const BASE_IMAGE_TOOLS: [RegExp, string[]][] = [
  [/^node:/, ["node", "npm", "npx", "sh", "bash", "touch", "cp"]],
  [/^python:/, ["python", "python3", "pip", "sh", "bash", "touch", "cp"]],
];

function parseInstructions(text: string): Omit<Instruction, "stage">[] {
  const joined = text
    .split("\n")
    .filter((line) => !/^\s*#/.test(line))
    .join("\n")
    .replace(/\\\n/g, " ");
  return joined
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [keyword = "", ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(" ") };
    });
}

function resolveArgs(text: string, args: Map<string, string>): string {
  return text.replace(
    /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g,
    (whole, name: string) => args.get(name) ?? whole,
  );
}

/** Docker's .dockerignore semantics: later lines win, `!` re-includes, a match covers what is inside. */
function isIgnored(path: string, dockerignore: string): boolean {
  const rules = dockerignore
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => ({
      negate: line.startsWith("!"),
      match: picomatch(line.replace(/^!/, "").replace(/^\/+|\/+$/g, ""), { dot: true }),
    }));
  const parts = path.replace(/^\.\/|\/+$/g, "").split("/");
  let ignored = false;
  for (const rule of rules) {
    for (let depth = 1; depth <= parts.length; depth++) {
      if (rule.match(parts.slice(0, depth).join("/"))) {
        ignored = !rule.negate;
        break;
      }
    }
  }
  return ignored;
}

/** The package a `node_modules/.bin` command comes from, or undefined if none does. */
function binPackage(contextDir: string, tool: string): string | undefined {
  const link = join(contextDir, "node_modules/.bin", tool);
  if (!existsSync(link)) return undefined;
  const target = readlinkSync(link);
  const match = /^\.\.\/((?:@[^/]+\/)?[^/]+)\//.exec(target);
  return match?.[1];
}

function toolAvailable(stage: Stage, tool: string, input: LintInput): string | undefined {
  for (let current: Stage | undefined = stage; current; current = current.parent) {
    if (current.installedTools.has(tool)) return undefined;
    if (
      BASE_IMAGE_TOOLS.some(([image, tools]) => image.test(current.base) && tools.includes(tool))
    ) {
      return undefined;
    }
  }
  const pkg = binPackage(input.contextDir, tool);
  if (pkg === undefined) return `needs \`${tool}\`, which nothing in the stage installs`;
  let install: Stage["npmInstall"] = "none";
  for (let current: Stage | undefined = stage; current; current = current.parent) {
    if (current.npmInstall !== "none") {
      install = current.npmInstall;
      break;
    }
  }
  if (install === "none")
    return `needs \`${tool}\` (npm package ${pkg}) but the stage runs no npm install`;
  if (install === "production" && input.packageJson.devDependencies?.[pkg]) {
    return `needs \`${tool}\` (dev dependency ${pkg}) but the stage installs with --omit=dev`;
  }
  return undefined;
}

/** The commands a shell line runs (first word of each part between &&, ||, ; and |). */
function commandsOf(line: string): string[][] {
  return line
    .split(/&&|\|\||;|\|/)
    .map((part) => part.trim().split(/\s+/).filter(Boolean))
    .map((words) => {
      // Skip leading VAR=value assignments.
      while (words[0] && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0])) words.shift();
      return words;
    })
    .filter((words) => words.length > 0);
}

const commandWords = (args: string): string[] => {
  if (args.startsWith("[")) return (JSON.parse(args) as string[]).filter(Boolean);
  return args.split(/\s+/);
};

/**
 * The defects seen in this project's images, found by reading a Dockerfile instead of building
 * it (Docker Hub is out of reach in CI): a COPY of a path the ignore file excludes or that does
 * not exist; a RUN of an npm script (or npx) whose command needs a tool the stage does not
 * install; a CMD or ENTRYPOINT through npm, which does not forward SIGTERM to the app.
 */
export function lintDockerfile(input: LintInput): string[] {
  const problems: string[] = [];
  const stages: Stage[] = [];
  const args = new Map<string, string>();
  let stage: Stage | undefined;
  let finalCommand: string[] = [];
  let finalEntrypoint: string[] = [];

  for (const instruction of parseInstructions(input.dockerfile)) {
    const text = resolveArgs(instruction.args, args);
    if (instruction.keyword === "ARG") {
      const [name, value] = text.split("=", 2);
      if (name && value !== undefined && !stage) args.set(name, value);
      continue;
    }
    if (instruction.keyword === "FROM") {
      const [base = "", , name] = text.split(/\s+/);
      const parent = stages.find((known) => known.name === base);
      stage = {
        name,
        base: parent ? parent.base : base,
        npmInstall: "none",
        installedTools: new Set(),
        parent,
      };
      stages.push(stage);
      finalCommand = parent ? finalCommand : [];
      finalEntrypoint = parent ? finalEntrypoint : [];
      continue;
    }
    if (!stage) continue;
    const where = `${instruction.keyword} ${instruction.args}`;
    if (instruction.keyword === "COPY" || instruction.keyword === "ADD") {
      const words = text.split(/\s+/).filter((word) => !word.startsWith("--"));
      if (/--from=/.test(text)) continue;
      for (const source of words.slice(0, -1)) {
        if (!existsSync(join(input.contextDir, source))) {
          problems.push(`${where}: ${source} does not exist in the build context`);
        } else if (isIgnored(source, input.dockerignore)) {
          problems.push(
            `${where}: ${source} is excluded by the ignore file, so the build cannot see it`,
          );
        }
      }
    }
    if (instruction.keyword === "RUN") {
      for (const words of commandsOf(text)) {
        const [command, ...rest] = words;
        if (command === "apt-get" && rest[0] === "install") {
          for (const word of rest.slice(1))
            if (!word.startsWith("-")) stage.installedTools.add(word);
        }
        if ((command === "pip" || command === "pip3") && rest[0] === "install") {
          const requirementsAt = rest.indexOf("-r");
          const named = rest.slice(1).filter((word) => !word.startsWith("-"));
          if (requirementsAt >= 0) {
            const file = join(input.contextDir, rest[requirementsAt + 1] ?? "");
            if (existsSync(file)) {
              for (const line of readFileSync(file, "utf8").split("\n")) {
                const pkg = /^([A-Za-z0-9_.-]+)/.exec(line.trim())?.[1];
                if (pkg) named.push(pkg);
              }
            }
          }
          for (const pkg of named) stage.installedTools.add(pkg.split(/[=<>]/)[0] ?? pkg);
        }
        if (command === "npm" && (rest[0] === "install" || rest[0] === "ci")) {
          stage.npmInstall =
            rest.includes("--omit=dev") || rest.includes("--production") ? "production" : "all";
        }
        const tools: string[] = [];
        if (command === "npx") tools.push(rest.find((word) => !word.startsWith("-")) ?? "");
        else if (command === "npm" && (rest[0] === "run" || rest[0] === "run-script")) {
          const script = input.packageJson.scripts[rest[1] ?? ""];
          if (script === undefined)
            problems.push(`${where}: package.json has no script "${rest[1]}"`);
          else
            for (const scriptCommand of commandsOf(script))
              if (scriptCommand[0]) tools.push(scriptCommand[0]);
        } else if (
          command &&
          !["npm", "apt-get", "pip", "pip3", "rm", "cd", "useradd"].includes(command)
        ) {
          tools.push(command);
        }
        for (const tool of tools) {
          const problem = toolAvailable(stage, tool, input);
          if (problem) problems.push(`${where}: ${problem}`);
        }
      }
    }
    if (instruction.keyword === "CMD") finalCommand = commandWords(text);
    if (instruction.keyword === "ENTRYPOINT") finalEntrypoint = commandWords(text);
  }

  // What PID 1 ends up running, past an init (tini, dumb-init) and its "--".
  const effective = [...finalEntrypoint, ...finalCommand].filter(
    (word) => !/(^|\/)(tini|dumb-init)$/.test(word) && word !== "--",
  );
  if (["npm", "yarn", "pnpm", "npx"].includes(effective[0] ?? "")) {
    problems.push(
      `CMD ${JSON.stringify(finalCommand)}: starts through a package manager, which does not forward SIGTERM to the app; run node directly (under an init such as tini)`,
    );
  }
  return [...new Set(problems)];
}
