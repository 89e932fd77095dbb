# syntax=docker/dockerfile:1
# clawdforge: the service and the pinned Claude Code CLI in one container.
# The build stage runs scripts/release.mjs, the same script the tests run
# without Docker (packages/server/test/deployment.test.ts).

FROM node:22-bookworm AS build
WORKDIR /src
COPY . .
# Installs from the frozen lockfile with the pinned pnpm (through npx), builds,
# and deploys the server with its production dependencies only into /out.
RUN node scripts/release.mjs /out

FROM node:22-bookworm-slim
ARG CLAUDE_CODE_VERSION=2.1.328
RUN npm install -g @anthropic-ai/claude-code@${CLAUDE_CODE_VERSION} && npm cache clean --force
COPY --from=build /out /app
WORKDIR /app
# The login lives in CLAUDE_CONFIG_DIR (credentials and .claude.json alike),
# so the claude-config volume keeps it across container rebuilds.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8800 \
    DATA_DIR=/data \
    CLAUDE_CONFIG_DIR=/root/.claude \
    DISABLE_AUTOUPDATER=1
VOLUME ["/data", "/root/.claude"]
EXPOSE 8800
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8800/healthz').then((r) => r.json()).then((b) => process.exit(b.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/app/dist/cli.js"]
CMD ["serve"]
