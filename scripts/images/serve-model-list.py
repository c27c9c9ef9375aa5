"""Stands in for vLLM's model list in the image checks: answers `GET /v1/models` (the OpenAI API
shape vLLM serves) with one model, so a worker started from an image can report itself ready.
No completions: the checks start workers, they do not review.
    python3 scripts/images/serve-model-list.py PORT MODEL_NAME
"""

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main() -> None:
    port, model = int(sys.argv[1]), sys.argv[2]
    body = json.dumps({"object": "list", "data": [{"id": model, "object": "model", "owned_by": "vllm"}]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status = 200 if self.path == "/v1/models" else 404
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.end_headers()
            if status == 200:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (http.server's name)
            pass

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    main()
