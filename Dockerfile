# The fleet worker: runs releases (validate, promote, verify) against Baseten.
# truss push runs in the CI job (`baseten-cd deploy` hosts its own push worker), so this image needs Node only.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY tsconfig.json ./
ENV NODE_ENV=production
USER node
ENTRYPOINT ["node", "bin/baseten-cd.js"]
CMD ["worker"]
