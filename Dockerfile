# The image of the webhook server (`npm start`) and the Node workers (`npm run worker`).
#   docker build -t tech-lead-bot .
#   docker run --env-file .env -p 3000:3000 tech-lead-bot              # server
#   docker run --env-file .env tech-lead-bot npm run worker             # workers
# The GPU-side trainer has its own setup: see trainer/README.md.

# 1. Production dependencies only.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Locked versions; see .ci/run for why this is not `npm ci`.
RUN npm install --no-save --omit=dev --ignore-scripts && npm cache clean --force

# 2. Type-check and lint with the dev dependencies; the final stage copies a marker from here,
#    so an image is never built from code that does not type-check.
FROM node:20-bookworm-slim AS verify
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-save --ignore-scripts
COPY tsconfig.json biome.json vitest.config.ts ./
COPY src ./src
COPY jobs ./jobs
COPY test ./test
RUN npm run check && touch /app/.verified

# 3. The runtime: no dev dependencies, no compilers, not root.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=verify /app/.verified ./.verified
COPY package.json tsconfig.json app.yml ./
COPY src ./src
COPY jobs ./jobs
COPY prompts ./prompts
USER node
EXPOSE 3000
CMD ["npm", "start"]
