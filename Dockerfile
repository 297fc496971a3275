# syntax=docker/dockerfile:1
#
# One image for the whole workspace: the five services, their migration commands and llm-sim.
# The command picks what runs:
#   node apps/gateway/dist/main.js               (also orchestrator, llm-caller, scorer, webhook-dispatcher)
#   node apps/<app>/dist/migrate.js              (gateway, orchestrator, llm-caller, webhook-dispatcher)
#   node tools/llm-sim/dist/main.js              (the OpenAI-compatible simulator)
#
#   docker build -t yardstick:local .

ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------------------------
# manifests: package.json of the root and of every workspace, at their paths. Copying only these
# into the next stage keeps the install layer cached until a dependency really changes.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN set -eu; mkdir -p /manifests; cp package.json package-lock.json /manifests/; \
    for manifest in apps/*/package.json libs/*/package.json tools/*/package.json; do \
      mkdir -p "/manifests/$(dirname "$manifest")"; cp "$manifest" "/manifests/$manifest"; \
    done

# ---------------------------------------------------------------------------------------------
# deps: every dependency (dev included: swc and nx build the workspace).
# `npm install`, not `npm ci`, as in scripts/lib/infra.sh (docs/decisions.md): the committed lockfile lacks
# other platforms' optional swc/nx binaries, which `npm ci` rejects as out of sync. The locked versions are
# still the ones installed; switch to `npm ci` once the lockfile carries every platform's entries.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,target=/root/.npm \
    npm install --no-audit --no-fund

# ---------------------------------------------------------------------------------------------
# build: every project's `build` target (swc, src -> dist), libs before the apps that use them.
FROM deps AS build
ENV NX_NO_CLOUD=true \
    NX_DAEMON=false \
    NX_TUI=false
COPY . .
RUN npx nx run-many -t build --outputStyle=static
# Keep only what runs: each workspace's package.json (its "main" points into dist) and dist.
RUN set -eu; mkdir -p /out; cp package.json /out/; \
    for project in apps/* libs/* tools/*; do \
      [ -f "$project/package.json" ] || continue; \
      mkdir -p "/out/$project"; cp "$project/package.json" "/out/$project/"; \
      if [ -d "$project/dist" ]; then cp -R "$project/dist" "/out/$project/dist"; fi; \
    done

# ---------------------------------------------------------------------------------------------
# prod-deps: the same install without dev dependencies. Workspace packages stay as symlinks
# (node_modules/@yardstick/* -> ../../libs/*), which resolve to /app/libs/*/dist at run time.
FROM deps AS prod-deps
RUN npm prune --omit=dev --no-audit --no-fund

# ---------------------------------------------------------------------------------------------
# runtime: no compiler, no sources, no dev dependencies; files owned by root, process runs as `node`.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps \
    HOST=0.0.0.0
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /out/ ./
# The fs blob driver's default root (BLOB_FS_ROOT=.data/blobs, relative to /app) must be writable;
# with several containers use BLOB_DRIVER=s3 instead, or mount one shared volume here.
RUN mkdir -p /app/.data && chown 1000:1000 /app/.data
# Numeric, so Kubernetes' runAsNonRoot can verify it (uid 1000 is the image's `node` user).
USER 1000:1000
# gateway 3000, orchestrator 3001, llm-caller 3002, scorer 3003, webhook-dispatcher 3004, llm-sim 4010
EXPOSE 3000 3001 3002 3003 3004 4010
CMD ["node", "apps/gateway/dist/main.js"]
