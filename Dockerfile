# A small Node 20 image that runs the pipeline. Only commands the README documents are used.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY pipelines ./pipelines
COPY sql ./sql
COPY crosswalks ./crosswalks
RUN mkdir -p /app/output && chown node:node /app/output
USER node
VOLUME ["/app/output"]
ENTRYPOINT ["node", "bin/lmi.js"]
CMD ["run", "--output", "/app/output"]
