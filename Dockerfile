# syntax=docker/dockerfile:1
# PontePA: one image, every role (`--role=api|soap|worker|scheduler`), plus a `migrate` target
# for the Job that applies migrations before a rollout. infra/deploy/check-image.sh repeats these
# steps without a Docker engine and checks that every role starts from the result.
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: dev dependencies, Prisma client generation, tsc, assets copied into dist/ ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Prisma 6 looks for engine files the client engine never uses (README, "Dependency choices").
ENV PRISMA_SCHEMA_ENGINE_BINARY=/bin/true \
    PRISMA_QUERY_ENGINE_LIBRARY=/bin/true \
    PRISMA_HIDE_UPDATE_MESSAGE=1
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY prisma.config.ts tsconfig.json tsconfig.build.json ./
COPY prisma ./prisma
RUN npx prisma generate
COPY server ./server
COPY web ./web
COPY tenants ./tenants
COPY infra/deploy/copy-build-assets.mjs ./infra/deploy/
RUN npm run build

# ---- migrate: the Prisma CLI and the migrations, run once per rollout as a Job ----
FROM build AS migrate
USER node
CMD ["npx", "prisma", "migrate", "deploy"]

# ---- runtime: production dependencies, compiled JavaScript, Debian's Chromium for the PDFs ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    CHROMIUM_PATH=/usr/bin/chromium \
    HEALTH_PORT=3000
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-dejavu-core fonts-liberation2 tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=optional too: the Prisma CLI and TypeScript are optional peers of @prisma/client.
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000 3001 3002 3003
# Docker and compose use this; Kubernetes uses the pod's own probes on /healthz and /readyz.
# HEALTH_PORT is the role's port: 3000 api, 3001 soap, 3002 worker, 3003 scheduler.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.HEALTH_PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["tini", "--", "node", "dist/server/main.js"]
CMD ["--role=api"]
