/**
 * The dataset model shared by the three formats (YOLO, COCO, Pascal VOC): what the
 * export writes and what an import parses back to. Coordinates are pixels of the
 * upright image with pixel-edge convention: a box covering the whole image is
 * `0,0,width,height`.
 */

export const DATASET_FORMATS = ['yolo', 'coco', 'voc'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

export type DatasetSplit = 'train' | 'val';

/** An exam class as the config defines it (ids 0..N-1). */
export interface DatasetClass {
  id: number;
  key: string;
  zh: string;
  en: string;
}

/** A box in pixels, pixel-edge coordinates, `x1 < x2`, `y1 < y2`. */
export interface DatasetBox {
  classId: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface DatasetImage {
  /** Base file name with extension, no folders (`0001.jpg`); its stem names the label files. */
  fileName: string;
  width: number;
  height: number;
  split: DatasetSplit;
  boxes: DatasetBox[];
}

/** Everything an export needs: the names the exam prescribes and the labeled photos. */
export interface DatasetExportInput {
  /** The station number: it names the dataset and the root folder. */
  name: string;
  /** The labeling task name (`competition` in the exam). */
  task: string;
  classes: readonly DatasetClass[];
  images: readonly DatasetImage[];
}

/** A text file of the export, `path` relative to the zip (or save folder) root, `/`-separated. */
export interface DatasetFile {
  path: string;
  content: string;
}

/** Where the caller must put an image's bytes (the export does no I/O). */
export interface DatasetImagePlacement {
  path: string;
  fileName: string;
}

export interface DatasetExport {
  files: DatasetFile[];
  images: DatasetImagePlacement[];
  /** Boxes left out because they have no area inside the image (under half a pixel wide or high). */
  skipped: { fileName: string; box: DatasetBox; why: 'no-area' }[];
}

/** A class as the imported dataset names it, before mapping to the exam's classes. */
export interface SourceClass {
  /** The dataset's own id (YOLO index, COCO category id); absent for VOC (names only). */
  id?: number;
  name: string;
}

/** A box of an imported dataset, still in the source's class numbering. */
export interface SourceBox {
  /** Index into `ParsedDataset.classes`. */
  sourceClass: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface ParsedImage {
  /** Path of the image entry in the archive (found), or as the label named it (missing). */
  path: string;
  fileName: string;
  width: number;
  height: number;
  split: DatasetSplit;
  boxes: SourceBox[];
}

/** A problem found while importing; `code` maps to user text, `file`/`line` say where. */
export interface DatasetIssue {
  code:
    | 'no-dataset'
    | 'empty-file'
    | 'malformed'
    | 'image-missing'
    | 'label-missing'
    | 'box-outside'
    | 'box-degenerate'
    | 'unknown-class'
    | 'image-size-unknown'
    | 'duplicate-image';
  /** `error`: the image or box is dropped; `warning`: kept, the user should know. */
  severity: 'error' | 'warning';
  file?: string;
  line?: number;
  /** Developer-readable detail (English), e.g. the offending value. */
  detail: string;
}

export interface ParsedDataset {
  format: DatasetFormat;
  /** Folder of the dataset inside the archive ('' = archive root). */
  root: string;
  classes: SourceClass[];
  images: ParsedImage[];
  issues: DatasetIssue[];
}

/** What an import reads through: the archive's entries and a way to read them. */
export interface DatasetSource {
  entries: readonly { path: string; size: number }[];
  readText(path: string): Promise<string>;
  /** Pixel size of an image entry (YOLO labels are normalised and need it). */
  imageSize(path: string): Promise<{ width: number; height: number } | undefined>;
}
