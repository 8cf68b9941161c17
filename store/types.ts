/**
 * Domain rows as the store hands them out: camelCase, timestamps in ms since the epoch,
 * JSON columns already parsed. These mirror what `core/` will define; the lead reconciles
 * the two (store may import only `core/`, which did not exist when this was written).
 */

/** Milliseconds since the Unix epoch. */
export type EpochMs = number;

/** A JSON object as stored in a TEXT column (parsed on read). */
export type JsonObject = Record<string, unknown>;

/**
 * A station (one contestant's seat). The ID number is personal data: the store keeps it
 * sealed and hands out only the masked form (`stations.handinFolderName` decrypts).
 */
export interface Station {
  stationNo: string;
  contestantName: string;
  /** `1101**********1234` */
  idMasked: string;
  createdAt: EpochMs;
}

export type Role = 'contestant' | 'proctor';
export type Lang = 'zh' | 'en';

/** An in-progress multi-step dialog, persisted so a bot restart does not lose it. */
export interface Wizard {
  step: string;
  draft: JsonObject;
}

/** A Telegram user who has talked to the bot. */
export interface User {
  userId: number;
  chatId: number;
  stationNo: string | null;
  role: Role;
  lang: Lang;
  /** Canonical combo key (class ids sorted, joined by '+', e.g. `0+2`) being captured. */
  activeCombo: string | null;
  wizard: Wizard | null;
  createdAt: EpochMs;
  updatedAt: EpochMs;
}

export type PhotoSource = 'photo' | 'document';
export type PhotoStatus = 'received' | 'clean' | 'rejected' | 'prelabeled' | 'confirmed' | 'reviewed';

/** Statuses of a photo that counts toward the dataset. */
export const ACCEPTED_STATUSES = ['clean', 'prelabeled', 'confirmed', 'reviewed'] as const satisfies readonly PhotoStatus[];
export type AcceptedStatus = (typeof ACCEPTED_STATUSES)[number];

/** Reject reason the store itself writes when a user discards a photo. */
export const REMOVED_BY_USER = 'removed-by-user';

/** One uploaded photo and, once inspected, its hashes and quality figures. */
export interface Photo {
  id: number;
  stationNo: string;
  tgFileId: string;
  tgFileUniqueId: string;
  source: PhotoSource;
  mediaGroupId: string | null;
  chatId: number;
  messageId: number;
  combo: string;
  status: PhotoStatus;
  rejectReason: string | null;
  rejectDetail: string | null;
  duplicateOf: number | null;
  sha256: string | null;
  phash: string | null;
  format: string | null;
  width: number | null;
  height: number | null;
  sharpness: number | null;
  meanLuma: number | null;
  darkFraction: number | null;
  brightFraction: number | null;
  rawPath: string | null;
  imagePath: string | null;
  previewMessageId: number | null;
  /** Version of the confirmed label, or null while unconfirmed. */
  labelVersion: number | null;
  createdAt: EpochMs;
  updatedAt: EpochMs;
}

/** What the ingest worker learned about a photo; written once by `photos.complete`. */
export interface InspectionFields {
  sha256: string | null;
  phash: string | null;
  format: string | null;
  width: number | null;
  height: number | null;
  sharpness: number | null;
  meanLuma: number | null;
  darkFraction: number | null;
  brightFraction: number | null;
  rawPath: string | null;
  imagePath: string | null;
}

/** Outcome of inspection: accepted as clean, or rejected with a reason. */
export type CompleteFields = InspectionFields &
  (
    | { status: 'clean' }
    | { status: 'rejected'; rejectReason: string; rejectDetail?: string | null; duplicateOf?: number | null }
  );

export type BoxSource = 'model' | 'human';

/** A box in pixels of the EXIF-oriented image. */
export interface BoxInput {
  classId: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  source: BoxSource;
  score?: number | null;
}

export interface Box extends Required<BoxInput> {
  id: number;
  photoId: number;
  version: number;
  score: number | null;
  createdAt: EpochMs;
}

export type LabelKind = 'proposal' | 'label';
/** `'model'` or the Telegram user id of the person who drew/confirmed the boxes. */
export type LabelAuthor = 'model' | number;

export interface LabelVersion {
  photoId: number;
  version: number;
  kind: LabelKind;
  author: LabelAuthor;
  modelId: string | null;
  createdAt: EpochMs;
  boxes: Box[];
}

export type Verdict = 'pending' | 'qualified' | 'loose' | 'wrong-label';

/** A seeded acceptance sample of a station's confirmed photos. */
export interface Review {
  id: number;
  stationNo: string;
  seed: number;
  /** Fraction of photos sampled, e.g. 0.2. */
  sampleRate: number;
  createdAt: EpochMs;
  finishedAt: EpochMs | null;
}

/**
 * One row of a review: a box verdict (`boxId` set) or the photo-level row
 * (`boxId` null) that carries the count of missed objects.
 */
export interface ReviewItem {
  id: number;
  reviewId: number;
  photoId: number;
  boxId: number | null;
  verdict: Verdict;
  missed: number;
  /** The Telegram user who last marked this row (contestant or proctor); null while never marked. */
  reviewerId: number | null;
  updatedAt: EpochMs;
}

export type RunKind = 'train' | 'assist';
export type RunStatus = 'queued' | 'running' | 'completed' | 'failed' | 'stopped';
export const ACTIVE_RUN_STATUSES = ['queued', 'running'] as const satisfies readonly RunStatus[];
export const TERMINAL_RUN_STATUSES = ['completed', 'failed', 'stopped'] as const satisfies readonly RunStatus[];

/** A training (or assist-model) run. `id` is `<station>-r<N>`. */
export interface Run {
  id: string;
  stationNo: string;
  /** Per-station sequence number N in the id. */
  seq: number;
  kind: RunKind;
  params: JsonObject;
  status: RunStatus;
  progress: JsonObject | null;
  metrics: JsonObject | null;
  /** Absolute path of the run's output folder (`stations/<station>/runs/<id>`). */
  dir: string;
  chatId: number | null;
  progressMessageId: number | null;
  attempts: number;
  error: string | null;
  deployedAt: EpochMs | null;
  /** When the contestant pressed Stop, if they did. */
  stopRequestedAt: EpochMs | null;
  createdAt: EpochMs;
  startedAt: EpochMs | null;
  finishedAt: EpochMs | null;
}
