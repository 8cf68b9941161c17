# One image for every process (bot, workers, web); the command picks the process.
# Debian 12 + Node 20, with the same system packages as scripts/setup-system.sh.
FROM node:20-bookworm-slim
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-torch python3-torchvision python3-pil \
      libopenblas0-pthread fonts-noto-cjk ca-certificates postgresql-client \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
ENV NODE_ENV=production DATA_DIR=/data TRAINER_PYTHON=/usr/bin/python3
VOLUME /data
CMD ["npx", "tsx", "bot/main.ts"]
