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
});
