import type { Lang, RejectReason } from '../../core/index.js';

/** Short names of cleaning reasons, for lists and summaries. */
const NAMES: Record<RejectReason, [zh: string, en: string]> = {
  empty: ['空文件', 'empty file'],
  'too-large-file': ['文件过大', 'file too large'],
  'not-an-image': ['不是图片', 'not an image'],
  'unsupported-format': ['格式不支持', 'unsupported format'],
  'too-many-pixels': ['像素过多', 'too many pixels'],
  corrupt: ['图片损坏', 'damaged image'],
  animated: ['动图', 'animated image'],
  'download-failed': ['下载失败', 'download failed'],
  'processing-failed': ['处理失败', 'processing failed'],
  'too-small': ['分辨率过低', 'too small'],
  'exact-duplicate': ['完全重复', 'exact duplicate'],
  'near-duplicate': ['近似重复', 'near duplicate'],
  'other-station': ['其他工位的照片', "another station's photo"],
  blurry: ['模糊', 'blurry'],
  'too-dark': ['过暗', 'too dark'],
  'too-bright': ['过亮', 'too bright'],
  'quota-full': ['组合已满', 'combo full'],
  'removed-by-user': ['已移除', 'removed'],
};

export function reasonText(lang: Lang, reason: RejectReason): string {
  const n = NAMES[reason] ?? NAMES.corrupt;
  return lang === 'zh' ? n[0] : n[1];
}
