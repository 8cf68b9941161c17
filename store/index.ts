/**
 * The store: the only code that touches SQLite and DATA_DIR. Other folders import
 * from here only.
 */
export { openStore, BUSY_TIMEOUT_MS, type OpenStoreOptions, type Store } from './open-store.js';
export { MIGRATIONS } from './migrations.js';
export {
  stationPaths,
  ensureStationDirs,
  stationFile,
  runDir,
  runModelPath,
  databasePath,
  baseModelFile,
  assertInside,
  type StationPaths,
} from './layout.js';
export { writeFileAtomic, moveFile, moveFileSync, type FileOptions } from './atomic.js';
export { loadExamConfigFile } from './exam-config-file.js';
export type { StationsRepo, NewStation, StationPatch, CreateStationResult } from './stations-repo.js';
export type { UsersRepo, UpsertUser } from './users-repo.js';
export type {
  PhotosRepo,
  ReceivePhoto,
  ReceiveResult,
  CompleteResult,
  RestoreResult,
  RemoveResult,
} from './photos-repo.js';
export type { PhotoQueries, PhotoSummary, ListPhotosOptions } from './photo-queries.js';
export type { LabelsRepo, NewLabelVersion, ConfirmResult, ConfirmedPhoto } from './labels-repo.js';
export type { ReviewsRepo, ReviewItemResult, FinishResult } from './reviews-repo.js';
export type { UpdatesRepo } from './updates-repo.js';
export type { DatasetRepo, ImportedPhoto, DatasetImportRecord, SplitName, ImportUpload, AddUploadResult } from './dataset-repo.js';
export type { IngestQueries } from './ingest-queries.js';
export type { DiskUsageQueries, StationDiskUsage } from './disk-usage.js';
export type { RunsRepo, NewRun, RunPatch, CreateRunResult, DeployResult } from './runs-repo.js';
export type { ApiKeysRepo, ApiKeyInfo, IssueKeyResult } from './api-keys-repo.js';
export { API_KEY_BYTES } from './api-keys-repo.js';
export type { InvocationsRepo, NewInvocation, InvocationLatency } from './invocations-repo.js';
export type { ModelBox, ModelBoxPair, ModelBoxesRepo } from './model-boxes-repo.js';
export { KEEP_PER_STATION as KEPT_INVOCATIONS_PER_STATION } from './invocations-repo.js';
export type { GuideRepo, ExamClock, StartClockResult, MemoryMessage } from './guide-repo.js';
export { GUIDE_MEMORY_KEEP } from './guide-repo.js';
export * from './types.js';
export { ensureLinkSecret } from './link-secret.js';
export { proposalView } from './proposal-view.js';
export { stationProgress } from './station-progress.js';
export { backupDataDir, restoreDataDir, verifySnapshot, snapshotEngine, MANIFEST_FILE, type Manifest, type ManifestFile, type SnapshotEngine } from './backup.js';
export { stationOverview, overviewCells, formatTimeLeft, type StationOverviewRow } from './station-overview.js';
export {
  localBlobStore,
  s3BlobStore,
  blobStoreFromConfig,
  blobKey,
  blobPath,
  assertBlobKey,
  type BlobStore,
  type S3BlobOptions,
} from './blobs.js';
