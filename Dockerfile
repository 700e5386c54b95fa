# A small Node 24 (current LTS) image that keeps the labor-market snapshots fresh: `lmi schedule` by default,
# or any other lmi command (e.g. `run` for a Kubernetes CronJob). Only commands the README
# documents are used here.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY pipelines ./pipelines
COPY scripts ./scripts
# npm ci runs the prepare step, `npm run build`, which compiles src/ and pipelines/ into dist/
# and bundles the CLI into dist/cli/ (scripts/bundle.mjs).
RUN npm ci --no-audit --no-fund

FROM node:24-bookworm-slim
ENV NODE_ENV=production
# tini as PID 1: it reaps children and passes SIGTERM on, so the CLI is never PID 1 itself (a lock
# naming pid 1 would then name every restart of the container; the lock's heartbeat covers that too).
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the compiled CLI comes from the build stage (TypeScript is a dev dependency).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY sql ./sql
COPY crosswalks ./crosswalks
COPY policies ./policies
RUN mkdir -p /app/output && chown node:node /app/output
USER node
VOLUME ["/app/output"]
EXPOSE 9464
# /healthz answers 200 while the last refresh succeeded (or none has run yet), 503 after a failure.
HEALTHCHECK --interval=60s --timeout=5s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:9464/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--", "node", "bin/lmi.js"]
CMD ["schedule", "--output", "/app/output", "--health-port", "9464", "--health-host", "0.0.0.0"]
