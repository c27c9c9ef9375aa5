# The image of the webhook server and the Node workers: compiled JavaScript run by `node` under
# tini (PID 1, forwards SIGTERM so jobs in hand finish), no TypeScript compiler at run time.
#   docker build -t tech-lead-bot .
#   docker run --env-file .env -p 3000:3000 tech-lead-bot                                  # server
#   docker run --env-file .env tech-lead-bot node dist/src/start/persona-worker.js                 # workers
# The persona worker fits each reviewer's where-model with python3 + scikit-learn, which this image
# carries in /opt/where-python (WHERE_FIT_COMMAND), with trainer/where.
# compose.yaml runs them together with Redis and vLLM. The GPU host's image (training worker)
# is trainer/Dockerfile, described in trainer/README.md.
# Node 22 LTS: the line `engines` in package.json and .ci/run use (Octokit's dependencies need it).
ARG NODE_IMAGE=node:22-bookworm-slim

# 1. Production dependencies only.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Locked versions; see .ci/run for why this is not `npm ci`.
RUN npm install --no-save --omit=dev --ignore-scripts && npm cache clean --force

# 2. Lint and type-check the code that goes into the image, then compile it: an image is never
#    built from code that does not type-check. (trainer/ and its ruff lint are not in this image.)
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-save --ignore-scripts
COPY tsconfig.json tsconfig.build.json biome.json ./
COPY src ./src
COPY jobs ./jobs
# What the build copies beside the JavaScript (the stylesheet, the prompt templates).
COPY scripts/copy-build-assets.mjs ./scripts/
COPY prompts ./prompts
RUN npx biome check src jobs && npm run build

# 3. The where-model's fit, which the persona worker runs (WHERE_FIT_COMMAND): Debian's python3
#    and a virtual environment with only the scikit-learn, scipy and numpy trainer/requirements.txt
#    pins (with what scikit-learn requires itself: joblib, threadpoolctl, narwhals, cloudpickle), no
#    torch. pip, setuptools and the libraries' own test suites are removed (~90 MB): nothing installs
#    or tests at run time.
FROM ${NODE_IMAGE} AS where-python
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 python3-venv ca-certificates \
  && rm -rf /var/lib/apt/lists/*
COPY trainer/requirements.txt /tmp/requirements.txt
COPY scripts/images/make-where-python.sh /tmp/make-where-python.sh
RUN sh /tmp/make-where-python.sh /tmp/requirements.txt

# 4. The runtime: compiled JavaScript, production dependencies, the where fit, not root.
FROM ${NODE_IMAGE}
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini python3 \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
  WHERE_FIT_COMMAND="/opt/where-python/bin/python3 -m trainer where fit"
WORKDIR /app
COPY --from=where-python /opt/where-python /opt/where-python
# Of the trainer, only what `python -m trainer where fit` imports.
COPY trainer/__init__.py trainer/__main__.py trainer/events.py ./trainer/
COPY trainer/where ./trainer/where
# Debian's python3 is the interpreter the environment was made from: the same bytecode.
RUN python3 -m compileall -q trainer
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json app.yml ./
USER node
EXPOSE 3000
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/src/start/server.js"]
