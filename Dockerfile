# The image of the webhook server and the Node workers: compiled JavaScript run by `node` under
# tini (PID 1, forwards SIGTERM so jobs in hand finish), no TypeScript compiler at run time.
#   docker build -t tech-lead-bot .
#   docker run --env-file .env -p 3000:3000 tech-lead-bot                                  # server
#   docker run --env-file .env tech-lead-bot node dist/src/start/persona-worker.js                 # workers
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
RUN npx biome check src jobs && npm run build

# 3. The runtime: compiled JavaScript, production dependencies, not root.
FROM ${NODE_IMAGE}
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json app.yml ./
# The prompt templates sit where the compiled code looks for them (../../prompts from dist/src/prompts).
COPY prompts ./dist/prompts
USER node
EXPOSE 3000
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/src/start/server.js"]
