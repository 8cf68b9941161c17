import { z } from 'zod';

/**
 * The process configuration, read once per entry point from the environment
 * (`loadConfig(process.env)`) and passed down. Nothing else reads `process.env`.
 * Every variable is documented in `.env.example`.
 */

const port = z.coerce.number().int().min(0).max(65535);
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** All state: SQLite database and station files. */
  DATA_DIR: z.string().min(1).default('./data'),
  /** PostgreSQL for the tables instead of DATA_DIR/copilot.db (files stay in DATA_DIR). */
  DATABASE_URL: optionalString.pipe(
    z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql:// (unset: SQLite in DATA_DIR)').optional(),
  ),
  /** The exam configuration file (classes, quotas, thresholds). */
  EXAM_CONFIG: z.string().min(1).default('config/exam.yaml'),
  /** Redis for BullMQ; when unset, the launcher starts a local redis-server. */
  REDIS_URL: optionalString.pipe(z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional()),
  /** Prefix of every BullMQ key, so several deployments (or tests) share one Redis. */
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]+$/).default('copilot'),
  /** Real Telegram when set; the built-in emulator when unset. */
  TELEGRAM_BOT_TOKEN: optionalString.pipe(
    z.string().regex(/^\d{3,12}:[A-Za-z0-9_-]{20,}$/, 'does not look like a bot token (digits:secret)').optional(),
  ),
  /** Any Bot-API-compatible server. */
  TELEGRAM_API_ROOT: z.string().url().default('https://api.telegram.org'),
  /** The emulator's port (local mode); 0 picks a free port. */
  EMULATOR_PORT: port.default(8081),
  /** The web process: inference API, visual page, box editor. */
  WEB_HOST: z.string().default('127.0.0.1'),
  WEB_PORT: port.default(8080),
  /** Public base URL of the web process, for links in the chat (Mini App needs https). */
  PUBLIC_URL: optionalString.pipe(z.string().url().optional()),
  /** Secret for signed editor links; generated into DATA_DIR when unset. */
  LINK_SECRET: optionalString,
  /** Code that makes a chat a proctor: `/start proctor <code>`. Proctor role is off when unset. */
  PROCTOR_CODE: optionalString,
  /** The guide agent's OpenAI-compatible model; the offline guide when unset. */
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString.pipe(z.string().url().optional()),
  OPENAI_MODEL: z.string().default('gpt-4o-mini'),
  /** How long the guide waits for the model per turn before falling back to the offline guide (ms). */
  GUIDE_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(20_000),
  /** After this long without an answer the guide says it is thinking (ms). */
  GUIDE_THINKING_MS: z.coerce.number().int().min(0).max(60_000).default(2500),
  /** Whether the guide announces milestones (a combo full, a run finished…) with the next step: `on` | `off`. */
  GUIDE_MILESTONES: z.enum(['on', 'off']).default('on'),
  /** Python with torch + torchvision for the trainer. */
  TRAINER_PYTHON: z.string().default('/usr/bin/python3'),
  TRAINER_DEVICE: z.enum(['auto', 'cpu', 'cuda']).default('auto'),
  /** Which queues this workers process serves (a GPU host runs only `train`). */
  WORKER_QUEUES: z
    .string()
    .default('ingest,train,report,export,guide')
    .transform((s) => s.split(',').map((q) => q.trim()).filter(Boolean))
    .pipe(z.array(z.enum(['ingest', 'train', 'report', 'export', 'guide'])).min(1)),
  INGEST_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  /**
   * Training runs one train worker runs at once. 1 (default) can never run a GPU out of
   * memory; raise it on a large GPU only with a measured figure (bench `train`).
   */
  TRAIN_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
  /** How long a worker's lock on a job lasts (ms); a crashed worker's job is retried after it lapses. */
  JOB_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** How often the workers look for photos left `received` with no job (ms). */
  SWEEP_EVERY_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  /** How long a photo may stay `received` before the sweep enqueues it again (ms). */
  SWEEP_AFTER_MS: z.coerce.number().int().min(0).max(86_400_000).default(120_000),
  /** How often the bot and workers push their metrics to Redis for the web's `/metrics` (ms). */
  METRICS_PUSH_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  /** Password of the queue dashboard (`/admin/queues`, HTTP basic auth, user `admin`); the dashboard is off when unset. */
  ADMIN_PASSWORD: optionalString.pipe(z.string().min(12, 'at least 12 characters').optional()),
  /** Webhook mode: the public https URL Telegram posts updates to (its path is served); long polling when unset. */
  WEBHOOK_URL: optionalString.pipe(z.string().url().regex(/^https?:\/\//, 'must be an http(s) URL').optional()),
  /** The secret Telegram sends in `X-Telegram-Bot-Api-Secret-Token`; derived from the bot token when unset (same on every replica). */
  WEBHOOK_SECRET: optionalString.pipe(z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, '16..256 characters of A-Z a-z 0-9 _ -').optional()),
  /** Where a bot replica listens for webhook posts (behind the load balancer that terminates TLS). */
  WEBHOOK_HOST: z.string().default('0.0.0.0'),
  WEBHOOK_PORT: port.default(8443),
  /** Telegram user ids that are proctors without a code (comma-separated); a proctor has no station. */
  PROCTOR_IDS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^\d{1,15}$/, 'each proctor id must be a Telegram user id (digits)').transform(Number))),
  /**
   * Per-user rates (a token bucket per user in Redis, shared by every bot replica): messages
   * and button presses, and uploads (photos and files). `*_BURST` is the bucket's size,
   * `*_PER_MIN` its refill. A fast contestant sends an album of 10 and taps about once a second.
   */
  RATE_MESSAGES_BURST: z.coerce.number().int().min(1).max(10_000).default(30),
  RATE_MESSAGES_PER_MIN: z.coerce.number().min(1).max(100_000).default(90),
  RATE_UPLOADS_BURST: z.coerce.number().int().min(1).max(10_000).default(40),
  RATE_UPLOADS_PER_MIN: z.coerce.number().min(1).max(100_000).default(60),
  /**
   * S3-compatible object storage (photos, models, reports, exports) when S3_BUCKET is set:
   * the local DATA_DIR file stays the working copy, the bucket is the shared one, so a
   * training host needs no shared filesystem. Unset: DATA_DIR only.
   */
  S3_BUCKET: optionalString.pipe(
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'is not a bucket name (3–63 lower-case letters, digits, dots, hyphens)')
      .optional(),
  ),
  /** Any S3-compatible server (MinIO, Ceph, s3rver…); unset with a bucket: AWS S3. */
  S3_ENDPOINT: optionalString.pipe(z.string().url().optional()),
  S3_REGION: z.string().min(1).default('us-east-1'),
  /** Unset: the SDK's default credential chain (env, profile, instance role). */
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  /** `bucket` in the path instead of the host name; unset: on when S3_ENDPOINT is set (MinIO and most others need it). */
  S3_FORCE_PATH_STYLE: optionalString.pipe(z.enum(['true', 'false', '1', '0']).optional()).transform((v) => (v === undefined ? undefined : v === 'true' || v === '1')),
});

export type Config = z.infer<typeof configSchema>;

/** S3 variables that only make sense together; checked by {@link loadConfig}. */
function s3Problems(cfg: Config): string[] {
  const problems: string[] = [];
  const setWithoutBucket = [
    ['S3_ENDPOINT', cfg.S3_ENDPOINT],
    ['S3_ACCESS_KEY_ID', cfg.S3_ACCESS_KEY_ID],
    ['S3_SECRET_ACCESS_KEY', cfg.S3_SECRET_ACCESS_KEY],
  ].filter(([, v]) => v !== undefined);
  if (cfg.S3_BUCKET === undefined && setWithoutBucket.length > 0) {
    problems.push(`S3_BUCKET: required when ${setWithoutBucket.map(([k]) => k).join(', ')} ${setWithoutBucket.length > 1 ? 'are' : 'is'} set (object storage is on only with a bucket)`);
  }
  if ((cfg.S3_ACCESS_KEY_ID === undefined) !== (cfg.S3_SECRET_ACCESS_KEY === undefined)) {
    problems.push('S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY: set both or neither (neither: the SDK\'s default credential chain)');
  }
  return problems;
}

/** Thrown at start-up when the environment is invalid; the message names every bad key. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`);
  }
}

/** Parses the environment. Throws `ConfigError` listing every invalid variable; never falls back silently. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const s3 = s3Problems(result.data);
  if (s3.length > 0) throw new ConfigError(s3);
  return result.data;
}

/** Values that must never appear in logs. */
export function configSecrets(cfg: Config): string[] {
  return [cfg.TELEGRAM_BOT_TOKEN, cfg.OPENAI_API_KEY, cfg.LINK_SECRET, cfg.PROCTOR_CODE, cfg.ADMIN_PASSWORD, cfg.WEBHOOK_SECRET, databasePassword(cfg.DATABASE_URL), cfg.S3_SECRET_ACCESS_KEY].filter(
    (s): s is string => typeof s === 'string' && s.length > 0,
  );
}

/** The password inside a DATABASE_URL (blanked out of logs), if any. */
export function databasePassword(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password.length > 0 ? password : undefined;
  } catch {
    return undefined;
  }
}
