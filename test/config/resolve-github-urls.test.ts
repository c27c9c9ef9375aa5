import { expect, it } from "vitest";
import { resolveGitHubUrls } from "../../src/config/resolve-github-urls.js";

it.each([
  [{}, "https://github.com", "https://api.github.com"],
  [{ gheHost: "ghe.corp.example" }, "https://ghe.corp.example", "https://ghe.corp.example/api/v3"],
  [
    { gheHost: "127.0.0.1:8080", gheProtocol: "http" },
    "http://127.0.0.1:8080",
    "http://127.0.0.1:8080/api/v3",
  ],
])("sends OAuth and API traffic where GHE_HOST/GHE_PROTOCOL say (%o)", (env, webUrl, apiUrl) => {
  expect(resolveGitHubUrls(env)).toEqual({ webUrl, apiUrl });
});
