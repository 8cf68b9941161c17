import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * Issue 18 point 1: the GPU training worker builds its own image on PyTorch's CUDA
 * runtime (Debian's torch is CPU-only) and runs the trainer with that image's Python.
 */
describe('the CUDA training image', () => {
  const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as { services: Record<string, { build?: { dockerfile?: string }; environment?: Record<string, string>; profiles?: string[] }> };
  const dockerfile = readFileSync('Dockerfile.train-cuda', 'utf8');

  it('is what the gpu profile’s train worker builds, with the image’s Python and one run per GPU', () => {
    const gpu = compose.services['train-gpu'];
    expect(gpu?.profiles).toEqual(['gpu']);
    expect(gpu?.build?.dockerfile).toBe('Dockerfile.train-cuda');
    const python = /TRAINER_PYTHON=(\S+)/.exec(dockerfile)?.[1];
    expect(python).toBe('/opt/conda/bin/python');
    expect(gpu?.environment?.TRAINER_PYTHON).toBe(python);
    expect(gpu?.environment?.WORKER_QUEUES).toBe('train');
    expect(gpu?.environment?.TRAIN_CONCURRENCY).toBe('${TRAIN_CONCURRENCY:-1}');
    // The scale profile's GPU train worker uses the same image; every other process stays on the CPU image.
    const scale = compose.services['train-scale'];
    expect(scale?.build?.dockerfile).toBe('Dockerfile.train-cuda');
    expect(scale?.environment?.TRAINER_PYTHON).toBe(python);
    for (const [name, svc] of Object.entries(compose.services)) if (!['train-gpu', 'train-scale'].includes(name)) expect(svc.build?.dockerfile, name).toBeUndefined();
  });

  it('starts from a PyTorch CUDA runtime, adds Node 20 and installs the project as the main image does', () => {
    expect(dockerfile).toMatch(/^ARG TORCH_IMAGE=pytorch\/pytorch:2\.\d+\.\d+-cuda\d+\.\d+-cudnn\d+-runtime$/m);
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim AS node$/m);
    expect(dockerfile).toContain('COPY --from=node /usr/local/bin/node /usr/local/bin/node');
    expect(dockerfile).toMatch(/RUN npm ci --no-audit --no-fund/);
    expect(readFileSync('Dockerfile', 'utf8')).toMatch(/RUN npm ci --no-audit --no-fund/);
  });
});
