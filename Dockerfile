# One image for every service (exchange-sim, feed-ingestor, detector, executor, stats, the arb-config CLI).
#   docker build -t arb-system:dev .
# The image has no default service: run one by its command, as docker-compose.yml and k8s/ do, e.g.
#   docker run --rm arb-system:dev node services/detector/dist/main.js
# Configuration: config/*.yaml is in the image (/app/config); ARB_MODE, ARB__SECTION__KEY=value and
# ARB_CONFIG_DIR (k8s mounts the arb-config ConfigMap there) override it, see README.md "Configuration".

ARG NODE_IMAGE=node:20-slim

# ---- pnpm at the version pinned in package.json "packageManager" (deploy/test/dockerfile.test.ts checks it) ----
FROM ${NODE_IMAGE} AS pnpm
ARG PNPM_VERSION=10.34.9
ENV CI=true
RUN npm install --global --no-fund --no-audit "pnpm@${PNPM_VERSION}" && pnpm --version
WORKDIR /app

# ---- build: install from the lockfile, compile, then drop devDependencies ----
FROM pnpm AS build
# Packages are fetched from the lockfile alone, so this layer is reused until pnpm-lock.yaml changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch
COPY . .
RUN pnpm install --frozen-lockfile --offline
RUN pnpm exec tsc -b
# Production dependencies only: a fresh offline install without devDependencies (`install --prod` over the dev
# install would leave them in node_modules/.pnpm); then remove what no service runs (sources, tests, test and
# bench packages).
RUN rm -rf node_modules packages/*/node_modules services/*/node_modules bench/node_modules \
 && pnpm install --frozen-lockfile --offline --prod \
 && rm -rf bench packages/testkit \
 && find packages services -mindepth 2 -maxdepth 2 \( -name src -o -name test \) -exec rm -rf {} + \
 && find packages services -name '.tsbuildinfo' -delete

# ---- runtime ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps
WORKDIR /app
COPY --from=build /app /app
# The image's built-in unprivileged user (uid/gid 1000, as k8s/ runAsUser); the app files stay root-owned, read-only.
USER node
# Every service serves /metrics, /healthz and /readyz on ARB__HTTP__PORT (default 9100; exchange-sim: 18080).
EXPOSE 9100
CMD ["node", "-e", "console.error('arb-system: give the service to run, e.g. node services/detector/dist/main.js (exchange-sim, feed-ingestor, detector, executor, stats) or node packages/cli/dist/main.js --help'); process.exit(2)"]
