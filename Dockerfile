# The fleet worker (default target `worker`): runs releases (validate, promote, verify) against Baseten.
# truss push runs in the CI job (`baseten-cd deploy` hosts its own push worker), so this image needs Node only.
FROM node:20-bookworm-slim AS worker
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY tsconfig.json ./
ENV NODE_ENV=production
# `--` ends Node's own options, so no argument of baseten-cd's (e.g. one named like --env-file) reaches Node.
ENTRYPOINT ["node", "--", "bin/baseten-cd.js"]
CMD ["worker"]
USER node

# A local trial (`docker compose --profile trial`): the same CLI with Python for the emulator's model processes,
# the pinned truss CLI (scripts/provision.sh, as for the tests) and the example Trusses.
FROM worker AS trial
USER root
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 python3-venv python3-pip \
  && rm -rf /var/lib/apt/lists/* \
  && ln -s /app/bin/baseten-cd.js /usr/local/bin/baseten-cd \
  && mkdir -p /data \
  && chown node:node /data /app
COPY --chown=node:node scripts ./scripts
COPY --chown=node:node examples ./examples
USER node
RUN bash scripts/provision.sh
