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
# The service runs as root and keeps the database, its secrets and the uploads
# to itself (0700/0600). Every run executes as clawdforge-run (RUN_AS_USER's
# default), which owns the CLI's login dirs and nothing else: a granted Bash
# gets that user's rights only. The empty login dirs, owned by it, seed the
# named volumes mounted on them.
RUN groupadd --system --gid 10001 clawdforge-run \
 && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/clawdforge-run --shell /usr/sbin/nologin clawdforge-run \
 && install -d -o 10001 -g 10001 -m 0700 /home/clawdforge-run/.claude /home/clawdforge-run/.claude-alt \
 && install -d -o root -g root -m 0700 /data
COPY --from=build /out /app
WORKDIR /app
# The login lives in CLAUDE_CONFIG_DIR (credentials and .claude.json alike),
# so the claude-config volume keeps it across container rebuilds.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8800 \
    DATA_DIR=/data \
    RUN_AS_USER=clawdforge-run \
    CLAUDE_CONFIG_DIR=/home/clawdforge-run/.claude \
    DISABLE_AUTOUPDATER=1
VOLUME ["/data", "/home/clawdforge-run/.claude"]
EXPOSE 8800
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8800/healthz').then((r) => r.json()).then((b) => process.exit(b.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/app/dist/cli.js"]
CMD ["serve"]
