import { describe, expect, it } from 'vitest';
import { ConfigError, configSecrets, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has offline defaults', () => {
    const cfg = loadConfig({});
    expect(cfg.DATA_DIR).toBe('./data');
    expect(cfg.TELEGRAM_BOT_TOKEN).toBeUndefined();
    expect(cfg.REDIS_URL).toBeUndefined();
    expect(cfg.WORKER_QUEUES).toEqual(['ingest', 'train', 'report', 'export', 'guide']);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: '', REDIS_URL: ' ' }).TELEGRAM_BOT_TOKEN).toBeUndefined();
  });

  it('names every bad key and never echoes the bad token', () => {
    try {
      loadConfig({ TELEGRAM_BOT_TOKEN: 'not-a-token-secret', REDIS_URL: 'http://x', WEB_PORT: '99999', WORKER_QUEUES: 'train,cook' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const p = (err as ConfigError).problems.join('\n');
      for (const key of ['TELEGRAM_BOT_TOKEN', 'REDIS_URL', 'WEB_PORT', 'WORKER_QUEUES']) expect(p).toContain(key);
      expect(p).not.toContain('not-a-token-secret');
    }
  });

  it('lists secrets for redaction', () => {
    const cfg = loadConfig({ TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ', OPENAI_API_KEY: 'k123456' });
    expect(configSecrets(cfg)).toEqual(['123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'k123456']);
  });

  it('takes a postgres:// DATABASE_URL, refuses another scheme, and blanks its password in logs', () => {
    const cfg = loadConfig({ DATABASE_URL: 'postgres://copilot:s%40cret@db:5432/copilot' });
    expect(cfg.DATABASE_URL).toBe('postgres://copilot:s%40cret@db:5432/copilot');
    expect(configSecrets(cfg)).toEqual(['s@cret']);
    expect(loadConfig({ DATABASE_URL: ' ' }).DATABASE_URL).toBeUndefined();
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x/y' })).toThrow(ConfigError);
  });

  it('turns object storage on only with a bucket, and checks the S3 variables together', () => {
    expect(loadConfig({}).S3_BUCKET).toBeUndefined();
    const on = loadConfig({ S3_BUCKET: 'copilot', S3_ENDPOINT: 'http://127.0.0.1:9000', S3_ACCESS_KEY_ID: 'id', S3_SECRET_ACCESS_KEY: 's3-secret-value' });
    expect(on.S3_REGION).toBe('us-east-1');
    expect(on.S3_FORCE_PATH_STYLE).toBeUndefined();
    expect(configSecrets(on)).toContain('s3-secret-value');
    expect(loadConfig({ S3_BUCKET: 'copilot', S3_FORCE_PATH_STYLE: 'false' }).S3_FORCE_PATH_STYLE).toBe(false);
    const problems = (env: Record<string, string>): string => {
      try {
        loadConfig(env);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as ConfigError).problems.join('\n');
      }
      return '';
    };
    expect(problems({ S3_ENDPOINT: 'http://127.0.0.1:9000' })).toMatch(/S3_BUCKET: required when S3_ENDPOINT is set/);
    expect(problems({ S3_BUCKET: 'copilot', S3_ACCESS_KEY_ID: 'id' })).toMatch(/set both or neither/);
    expect(problems({ S3_BUCKET: 'Bad_Bucket' })).toMatch(/S3_BUCKET/);
    expect(problems({ S3_BUCKET: 'copilot', S3_FORCE_PATH_STYLE: 'yes' })).toMatch(/S3_FORCE_PATH_STYLE/);
    expect(problems({ S3_BUCKET: 'copilot', S3_SECRET_ACCESS_KEY: 'hidden-secret' })).not.toContain('hidden-secret');
  });
});
