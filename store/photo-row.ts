import type { Photo, PhotoSource, PhotoStatus } from './types.js';

/** A `photos` row as SQLite returns it. */
export interface PhotoRow {
  id: number;
  station_no: string;
  tg_file_id: string;
  tg_file_unique_id: string;
  source: PhotoSource;
  media_group_id: string | null;
  chat_id: number;
  message_id: number;
  combo: string;
  status: PhotoStatus;
  reject_reason: string | null;
  reject_detail: string | null;
  duplicate_of: number | null;
  sha256: string | null;
  phash: string | null;
  format: string | null;
  width: number | null;
  height: number | null;
  sharpness: number | null;
  mean_luma: number | null;
  dark_fraction: number | null;
  bright_fraction: number | null;
  raw_path: string | null;
  image_path: string | null;
  preview_message_id: number | null;
  label_version: number | null;
  created_at: number;
  updated_at: number;
}

/** Maps a `photos` row to the domain shape. */
export function toPhoto(r: PhotoRow): Photo {
  return {
    id: r.id,
    stationNo: r.station_no,
    tgFileId: r.tg_file_id,
    tgFileUniqueId: r.tg_file_unique_id,
    source: r.source,
    mediaGroupId: r.media_group_id,
    chatId: r.chat_id,
    messageId: r.message_id,
    combo: r.combo,
    status: r.status,
    rejectReason: r.reject_reason,
    rejectDetail: r.reject_detail,
    duplicateOf: r.duplicate_of,
    sha256: r.sha256,
    phash: r.phash,
    format: r.format,
    width: r.width,
    height: r.height,
    sharpness: r.sharpness,
    meanLuma: r.mean_luma,
    darkFraction: r.dark_fraction,
    brightFraction: r.bright_fraction,
    rawPath: r.raw_path,
    imagePath: r.image_path,
    previewMessageId: r.preview_message_id,
    labelVersion: r.label_version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
