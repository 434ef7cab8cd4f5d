# syntax=docker/dockerfile:1
# One image for every Sluice service; its arguments are those of `sluice`:
#
#   docker build -t sluice .
#   docker run sluice edge --config /etc/sluice/edge.json
#   docker run sluice pusher --store kafka --metrics-port 9464 --metrics-host 0.0.0.0
#   docker run sluice api --host 0.0.0.0 --port 8080
#
# Docker does not run where Sluice is tested, so tests/test/e2e/image-layout.test.ts builds this file's
# runtime stage without it: it copies what the COPY lines name, runs the deps stage's `npm ci`, and starts
# each service from the result. Keep every path here one that test can follow.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# Compilers for better-sqlite3, built from source when no prebuilt binary fits the platform.
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3=3.11.* make=4.3-* g++=4:12.* \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app

# Production dependencies only: every workspace's manifest (npm resolves the workspaces from them).
FROM toolchain AS deps
COPY package.json package-lock.json ./
COPY packages/schemas/package.json packages/schemas/
COPY packages/logging/package.json packages/logging/
COPY packages/kafka/package.json packages/kafka/
COPY packages/pipeline/package.json packages/pipeline/
COPY packages/test-receivers/package.json packages/test-receivers/
COPY packages/job-store/package.json packages/job-store/
COPY packages/destinations/package.json packages/destinations/
COPY packages/destination-conformance/package.json packages/destination-conformance/
COPY infra/local/package.json infra/local/
COPY services/edge/package.json services/edge/
COPY services/pusher/package.json services/pusher/
COPY services/api/package.json services/api/
COPY packages/cli/package.json packages/cli/
COPY tests/package.json tests/
COPY bench/package.json bench/
RUN npm ci --omit=dev --no-audit --no-fund

# The build: the command and what it references, and the dashboard's scripts.
FROM deps AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.base.json ./
COPY packages/ packages/
COPY services/ services/
COPY infra/local/ infra/local/
RUN npx tsc --build packages/cli services/api/dashboard

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# The manifests and every node_modules folder, nested ones included (a workspace whose dependency's version differs
# from the root's keeps its own, as packages/destinations keeps undici 6).
COPY --from=deps /app ./
COPY --from=build /app/packages/schemas/dist/src packages/schemas/dist/src
COPY --from=build /app/packages/schemas/catalog packages/schemas/catalog
COPY --from=build /app/packages/logging/dist/src packages/logging/dist/src
COPY --from=build /app/packages/kafka/dist/src packages/kafka/dist/src
COPY --from=build /app/packages/pipeline/dist/src packages/pipeline/dist/src
COPY --from=build /app/packages/job-store/dist/src packages/job-store/dist/src
COPY --from=build /app/packages/destinations/dist/src packages/destinations/dist/src
COPY --from=build /app/infra/local/dist/src infra/local/dist/src
COPY --from=build /app/services/edge/dist/src services/edge/dist/src
COPY --from=build /app/services/pusher/dist/src services/pusher/dist/src
COPY --from=build /app/services/api/dist/src services/api/dist/src
COPY --from=build /app/services/api/dashboard/public services/api/dashboard/public
COPY --from=build /app/services/api/dashboard/dist services/api/dashboard/dist
COPY --from=build /app/packages/cli/bin packages/cli/bin
COPY --from=build /app/packages/cli/dist/src packages/cli/dist/src
# The edge's spool and the API's access index, when kept, go under /data (mount a volume there), the user's own.
RUN mkdir /data && chown node:node /data
# The image's own user (uid 1000 in the Node images), never root; the files above stay root's, read-only to it.
USER node
WORKDIR /data
ENTRYPOINT ["node", "/app/packages/cli/bin/sluice.js"]
CMD ["--help"]
