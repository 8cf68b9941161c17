/**
 * Input of the two exam reports: plain JSON-able data (JPEG bytes aside) that the
 * `report` worker assembles from the store. The renderer runs no queries, so every
 * number printed is the number the caller (and so the chat) already shows.
 */
import type { Box } from '../core/index.js';

/** A text in both report languages; Chinese is printed first. */
export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

/** One exam class as the reports name and colour it. */
export interface ReportClass {
  /** Stable key, e.g. `gauge_normal`; boxes refer to it. */
  readonly key: string;
  readonly zh: string;
  readonly en: string;
  /** `#rrggbb`, the same colour the chat and the editor use for the class. */
  readonly color: string;
}

/** A box in the pixels of its (upright) image, with its class. */
export interface ReportBox extends Box {
  readonly classKey: string;
  /** In the acceptance sample's thumbnails: the box's review verdict; failed boxes are marked. */
  readonly verdict?: SampleBoxVerdict;
}

/** A predicted box: a {@link ReportBox} with its score in [0, 1]. */
export interface ReportPrediction extends ReportBox {
  readonly score: number;
}

/** A photo thumbnail as JPEG bytes; boxes are in this JPEG's pixels. */
export interface ReportPhoto {
  /** File name shown under the thumbnail. */
  readonly name: string;
  readonly jpeg: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly boxes: readonly ReportBox[];
}

/** A count with its reason (a rejection or cleaning reason). */
export interface ReasonCount {
  readonly reason: Bilingual;
  readonly count: number;
}

/** One row of the capture plan: a combo's quota and what became of its photos. */
export interface ComboRow {
  readonly label: Bilingual;
  readonly planned: number;
  readonly captured: number;
  readonly rejected: readonly ReasonCount[];
  /** Photos of the combo in the final dataset. */
  readonly final: number;
}

/** Verdict on one box in the acceptance sample (exam rules: tight, right label). */
export type SampleBoxVerdict = 'qualified' | 'loose' | 'wrong-label';

/** One photo of the acceptance sample with its reviewed boxes. */
export interface SamplePhoto {
  readonly name: string;
  readonly boxes: readonly { readonly classKey: string; readonly verdict: SampleBoxVerdict }[];
  /** Objects the reviewer found with no box (漏标). */
  readonly missed: number;
}

/** The recorded acceptance review: the sample and its accuracy, as the chat shows it. */
export interface AcceptanceSample {
  readonly seed: string;
  /** Sample rate, e.g. 0.2. */
  readonly rate: number;
  readonly labeledPhotos: number;
  readonly photos: readonly SamplePhoto[];
  readonly qualified: number;
  /** Boxes in the sample plus missed objects: the accuracy's denominator. */
  readonly total: number;
  /** qualified / total, in [0, 1]. */
  readonly accuracy: number;
}

/** ISO-8601 timestamps; `null` when the step has not happened. */
export interface Stage1Times {
  readonly registered: string;
  readonly firstPhoto: string | null;
  readonly lastPhoto: string | null;
  readonly reviewed: string | null;
  readonly generated: string;
}

/** Everything the stage-one dataset acceptance report (数据集制作验收报告) prints. */
export interface Stage1ReportData {
  readonly station: string;
  readonly contestantName: string;
  /** Already masked by the caller, e.g. `1101**********1234`; a full ID is refused. */
  readonly maskedId: string;
  /** The dataset's name: the station number, as the exam requires. */
  readonly datasetName: string;
  /** The labeling task's name (`competition`). */
  readonly taskName: string;
  readonly times: Stage1Times;
  readonly classes: readonly ReportClass[];
  readonly combos: readonly ComboRow[];
  readonly cleaning: { readonly accepted: number; readonly rejected: readonly ReasonCount[] };
  readonly labeling: {
    readonly boxesPerClass: readonly { readonly classKey: string; readonly count: number }[];
    /** Histogram: how many photos carry `boxes` boxes. */
    readonly boxesPerPhoto: readonly { readonly boxes: number; readonly photos: number }[];
    /** Every box's size in original-image pixels. */
    readonly boxSizes: readonly { readonly width: number; readonly height: number }[];
  };
  /** `null` when no review has been done yet (the report says so). */
  readonly acceptance: AcceptanceSample | null;
  /** Thumbnails of the sampled photos with their boxes. */
  readonly samplePhotos: readonly ReportPhoto[];
  /** Where the dataset is saved, relative to the hand-in folder or DATA_DIR. */
  readonly savedPath: string;
  /** True when the dataset is the judges' standard dataset (imported), not the contestant's own. */
  readonly imported: boolean;
  /** The imports that fed the dataset (which file, when, how many photos), oldest first. */
  readonly imports: readonly DatasetImportInfo[];
}

/** One import of the judges' standard dataset into the station. */
export interface DatasetImportInfo {
  readonly fileName: string;
  readonly format: 'yolo' | 'coco' | 'voc';
  /** ISO timestamp of the import. */
  readonly at: string;
  readonly photos: number;
  readonly boxes: number;
}

/** A training parameter as set for the run, with what it means. */
export interface ParamRow {
  readonly name: string;
  readonly value: string;
  readonly meaning: Bilingual;
}

/** Per-class final metrics on the validation split. */
export interface ClassMetricRow {
  readonly classKey: string;
  readonly ap50: number;
  readonly ap5095: number;
  readonly precision: number;
  readonly recall: number;
}

/** The deployed invocation service, as measured. */
export interface ServiceInfo {
  readonly url: string;
  readonly apiExample: string;
  readonly p50Ms: number;
  readonly p95Ms: number;
}

/** Everything the stage-two project report (人工智能深度学习工程应用项目报告) prints. */
export interface Stage2ReportData {
  readonly station: string;
  readonly contestantName: string;
  readonly maskedId: string;
  readonly generated: string;
  readonly dataset: {
    readonly name: string;
    readonly imported: boolean;
    /** The imports that fed the dataset, oldest first. */
    readonly imports: readonly DatasetImportInfo[];
    readonly classes: readonly ReportClass[];
    readonly photos: number;
    readonly boxes: number;
    readonly train: number;
    readonly val: number;
  };
  /** The training run (container) named after the station, e.g. `A07-r2`. */
  readonly runName: string;
  readonly modelPath: string;
  readonly params: readonly ParamRow[];
  readonly environment: {
    readonly device: string;
    readonly torch: string;
    readonly torchvision: string;
    readonly onnxruntime: string;
    readonly trainSeconds: number;
  };
  readonly epochs: readonly { readonly epoch: number; readonly loss: number; readonly valMap50: number | null }[];
  readonly metrics: {
    readonly map50: number;
    readonly map5095: number;
    readonly perClass: readonly ClassMetricRow[];
  };
  readonly prCurves: readonly {
    readonly classKey: string;
    readonly points: readonly { readonly recall: number; readonly precision: number }[];
  }[];
  /**
   * `(C+1)×(C+1)`, rows ground truth, columns prediction, index C background
   * (core's `confusionMatrix`); `classKeys` gives the order of the first C.
   */
  readonly confusion: { readonly classKeys: readonly string[]; readonly matrix: readonly (readonly number[])[] };
  readonly valGrid: readonly { readonly photo: ReportPhoto; readonly predictions: readonly ReportPrediction[] }[];
  /** `null`: not deployed. */
  readonly service: ServiceInfo | null;
}
