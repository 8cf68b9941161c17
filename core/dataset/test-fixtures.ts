import { seededRandom } from '../split.js';
import type { DatasetClass, DatasetExport, DatasetExportInput, DatasetImage, DatasetSource } from './types.js';

/** Test fixtures: the exam's classes, synthetic labeled photos and in-memory archives. */

export const CLASSES: DatasetClass[] = [
  { id: 0, key: 'pressure_gauge', zh: '压力表', en: 'Pressure gauge' },
  { id: 1, key: 'digital_meter', zh: '数字仪表', en: 'Digital meter' },
  { id: 2, key: 'indicator_light', zh: '指示灯', en: 'Indicator light' },
];

/** Random photos with random fractional boxes, some touching the image edges. */
export function syntheticInput(n: number, seed = 7, extra = { width: 4000, height: 3000 }): DatasetExportInput {
  const rand = seededRandom(seed);
  const images: DatasetImage[] = [];
  for (let i = 0; i < n; i++) {
    const width = 320 + Math.floor(rand() * extra.width);
    const height = 240 + Math.floor(rand() * extra.height);
    const boxes = Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, k) => {
      const x1 = k === 0 ? 0 : rand() * width * 0.8;
      const y1 = rand() * height * 0.8;
      const x2 = k === 1 ? width : x1 + 2 + rand() * (width - x1 - 2);
      const y2 = y1 + 2 + rand() * (height - y1 - 2);
      return { classId: Math.floor(rand() * 3), x1, y1, x2, y2 };
    });
    images.push({ fileName: `IMG_${String(i).padStart(4, '0')}.jpg`, width, height, split: i % 5 === 0 ? 'val' : 'train', boxes });
  }
  return { name: 'A07', task: 'competition', classes: CLASSES, images };
}

/**
 * An in-memory archive for tests (and for callers that hold a dataset in memory):
 * text files by path, images by path with their pixel size.
 */
export function memorySource(texts: Record<string, string>, images: Record<string, { width: number; height: number }>): DatasetSource {
  const enc = new TextEncoder();
  return {
    entries: [
      ...Object.entries(texts).map(([path, t]) => ({ path, size: enc.encode(t).length })),
      ...Object.keys(images).map((path) => ({ path, size: 1000 })),
    ],
    readText: async (path) => {
      const t = texts[path];
      if (t === undefined) throw new Error(`no text entry ${path}`);
      return t;
    },
    imageSize: async (path) => images[path],
  };
}

/** The archive an export would make, images given the sizes the export recorded. */
export function sourceOfExport(exp: DatasetExport, sizes: ReadonlyMap<string, { width: number; height: number }>): DatasetSource {
  const texts = Object.fromEntries(exp.files.map((f) => [f.path, f.content]));
  const images = Object.fromEntries(
    exp.images.map((i) => {
      const size = sizes.get(i.fileName);
      if (!size) throw new Error(`no size for ${i.fileName}`);
      return [i.path, size];
    }),
  );
  return memorySource(texts, images);
}
