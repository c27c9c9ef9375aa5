import { createRequire } from "node:module";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule, { type FormatsPlugin } from "ajv-formats";

/** One REST operation of GitHub's OpenAPI description. */
export interface GitHubOperation {
  method: string;
  template: string;
  operationId: string;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { operationId?: string; requestBody?: unknown }>>;
}

interface CompiledPath {
  template: string;
  pattern: RegExp;
  literalSegments: number;
}

const require = createRequire(import.meta.url);
// ajv-formats is CommonJS with a default export that ESM sees under `.default`.
const addFormats = (addFormatsModule as unknown as { default: FormatsPlugin }).default;

let cached: GitHubApiDescription | undefined;

/**
 * GitHub's REST API description from `@octokit/openapi`, used to check that every request the
 * bot sends is one GitHub would accept. Loaded once per test process (the file is 13 MB).
 */
export function loadGitHubApiDescription(): GitHubApiDescription {
  cached ??= new GitHubApiDescription(
    require("@octokit/openapi/generated/api.github.com.json") as OpenApiDocument,
  );
  return cached;
}

export class GitHubApiDescription {
  readonly #document: OpenApiDocument;
  readonly #paths: CompiledPath[];
  readonly #ajv: Ajv;
  readonly #validators = new Map<string, ValidateFunction | null>();

  constructor(document: OpenApiDocument) {
    this.#document = document;
    // More literal segments first, so /pulls/comments wins over /pulls/{pull_number}.
    this.#paths = Object.keys(document.paths)
      .map((template) => ({
        template,
        pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`),
        literalSegments: template.split("/").filter((part) => part && !part.startsWith("{")).length,
      }))
      .sort((a, b) => b.literalSegments - a.literalSegments);
    this.#ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.#ajv);
    this.#ajv.addSchema(document as object, "github");
  }

  /** The operation a request hits, or undefined when GitHub has no such endpoint. */
  findOperation(method: string, pathname: string): GitHubOperation | undefined {
    const lowerMethod = method.toLowerCase();
    for (const path of this.#paths) {
      if (!path.pattern.test(pathname)) continue;
      const operation = this.#document.paths[path.template]?.[lowerMethod];
      if (operation) {
        return {
          method: method.toUpperCase(),
          template: path.template,
          operationId: operation.operationId ?? "",
        };
      }
    }
    return undefined;
  }

  /**
   * Problems GitHub would reject the request for: an unknown endpoint, a body that does not
   * match the operation's request schema, or top-level fields the operation does not define.
   * An empty array means the request is acceptable.
   */
  validateRequest(request: { method: string; pathname: string; body: unknown }): string[] {
    const operation = this.findOperation(request.method, request.pathname);
    if (!operation) return [`${request.method} ${request.pathname}: no such GitHub endpoint`];
    const label = `${operation.method} ${operation.template}`;
    const schemaPointer = this.#requestSchemaPointer(operation);
    if (!schemaPointer) {
      return request.body === undefined ? [] : [`${label}: takes no request body`];
    }
    if (request.body === undefined)
      return this.#isBodyRequired(operation) ? [`${label}: body required`] : [];
    const validate = this.#validator(schemaPointer);
    const problems: string[] = [];
    if (validate && !validate(request.body)) {
      for (const error of validate.errors ?? []) {
        problems.push(`${label}: body${error.instancePath} ${error.message ?? "is invalid"}`);
      }
    }
    problems.push(
      ...this.#unknownFields(schemaPointer, request.body).map(
        (f) => `${label}: unknown field "${f}"`,
      ),
    );
    return problems;
  }

  #requestSchemaPointer(operation: GitHubOperation): string | undefined {
    const raw = this.#document.paths[operation.template]?.[operation.method.toLowerCase()]
      ?.requestBody as { content?: Record<string, unknown> } | undefined;
    if (!raw?.content?.["application/json"]) return undefined;
    const escapedPath = operation.template.replaceAll("~", "~0").replaceAll("/", "~1");
    return `github#/paths/${escapedPath}/${operation.method.toLowerCase()}/requestBody/content/application~1json/schema`;
  }

  #isBodyRequired(operation: GitHubOperation): boolean {
    const raw = this.#document.paths[operation.template]?.[operation.method.toLowerCase()]
      ?.requestBody as { required?: boolean } | undefined;
    return raw?.required === true;
  }

  #validator(pointer: string): ValidateFunction | null {
    if (!this.#validators.has(pointer)) {
      this.#validators.set(pointer, this.#ajv.compile({ $ref: pointer }));
    }
    return this.#validators.get(pointer) ?? null;
  }

  // GitHub's schemas rarely forbid extra fields, but GitHub ignores them silently, which hides
  // typos such as `postion`; flag top-level fields the schema does not name.
  #unknownFields(pointer: string, body: unknown): string[] {
    if (typeof body !== "object" || body === null || Array.isArray(body)) return [];
    const schema = this.#ajv.getSchema(pointer)?.schema as
      | {
          properties?: Record<string, unknown>;
          additionalProperties?: unknown;
          oneOf?: unknown;
          anyOf?: unknown;
        }
      | undefined;
    const resolved =
      schema && "$ref" in schema
        ? this.#resolve(String((schema as { $ref: string }).$ref))
        : schema;
    if (!resolved?.properties || resolved.additionalProperties !== undefined) return [];
    return Object.keys(body).filter((key) => !(key in (resolved.properties ?? {})));
  }

  #resolve(
    ref: string,
  ): { properties?: Record<string, unknown>; additionalProperties?: unknown } | undefined {
    const path = ref
      .replace(/^github#\//, "")
      .split("/")
      .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"));
    let node: unknown = this.#document;
    for (const part of path) node = (node as Record<string, unknown> | undefined)?.[part];
    return node as { properties?: Record<string, unknown> } | undefined;
  }
}
