import type { DatasetExport } from '../../core/index.js';
import { writeZip, type ZipWriteEntry } from './zip-write.js';

/**
 * Writes an export (core's `exportDataset`) as one zip: its text files, and each image
 * placement streamed from the file `imageFile(fileName)` names (the station's processed
 * photo). Atomic like `writeZip`.
 */
export async function writeDatasetZip(target: string, exp: DatasetExport, imageFile: (fileName: string) => string): Promise<{ bytes: number; entries: number }> {
  const entries: ZipWriteEntry[] = [
    ...exp.files.map((f) => ({ path: f.path, content: f.content })),
    ...exp.images.map((i) => ({ path: i.path, filePath: imageFile(i.fileName) })),
  ];
  return writeZip(target, entries);
}
