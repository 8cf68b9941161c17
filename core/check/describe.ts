/**
 * One line of text per finding, in Chinese or English, for the `/check` list. Plain
 * text: the caller escapes it for Telegram's HTML mode.
 */
import type { ExamClass } from '../exam-config.js';
import type { Lang } from '../i18n.js';
import type { BoxSide } from '../metrics/index.js';
import { comboLabel } from '../plan.js';
import type { Finding, SideOff } from './types.js';

const SIDE_ZH: Record<BoxSide, string> = { left: '左', top: '上', right: '右', bottom: '下' };

function sides(list: readonly SideOff[], lang: Lang): string {
  return list
    .map((s) => {
      const px = `${s.px > 0 ? '+' : ''}${Math.round(s.px)} px`;
      return lang === 'zh' ? `${SIDE_ZH[s.side]}边 ${px}` : `${s.side} ${px}`;
    })
    .join(lang === 'zh' ? '，' : ', ');
}

/** Describes a finding; photo and box numbers are shown 1-based as `#photo` and `box n`. */
export function describeFinding(f: Finding, classes: readonly ExamClass[], lang: Lang): string {
  const zh = lang === 'zh';
  const cls = (id: number): string => {
    const c = classes.find((x) => x.id === id);
    return c ? (zh ? c.zh : c.en) : `#${id}`;
  };
  const where =
    f.photoId === null ? '' : `#${f.photoId}${f.boxIndex === undefined ? '' : zh ? ` 框${f.boxIndex + 1}` : ` box ${f.boxIndex + 1}`}: `;
  switch (f.kind) {
    case 'unconfirmed':
      return where + (zh ? '尚未确认标注' : 'labels not confirmed yet');
    case 'short-quota': {
      const combo = comboLabel(f.detail.combo, classes, lang);
      return zh
        ? `${combo}：已拍 ${f.detail.captured}/${f.detail.quota}，还差 ${f.detail.missing} 张`
        : `${combo}: ${f.detail.captured}/${f.detail.quota} captured, ${f.detail.missing} to go`;
    }
    case 'missed-class':
      return where + (zh ? `漏标：没有「${cls(f.detail.classId)}」的框` : `missed object: no ${cls(f.detail.classId)} box`);
    case 'extra-box':
      return where + (zh ? `多余的框：「${cls(f.detail.classId)}」有 ${f.detail.count} 个` : `extra box: ${f.detail.count} ${cls(f.detail.classId)} boxes`);
    case 'wrong-class':
      return (
        where +
        (zh
          ? `类别错误：「${cls(f.detail.classId)}」不在本组合（${comboLabel(f.detail.combo, classes, lang)}）中`
          : `wrong label: ${cls(f.detail.classId)} is not in this combo (${comboLabel(f.detail.combo, classes, lang)})`)
      );
    case 'loose':
      return where + (zh ? `框偏松：${sides(f.detail.sides, lang)}` : `loose: ${sides(f.detail.sides, lang)}`);
    case 'tight':
      return where + (zh ? `框偏紧（切到目标）：${sides(f.detail.sides, lang)}` : `tight (cuts the object): ${sides(f.detail.sides, lang)}`);
    case 'degenerate':
      return where + (zh ? '框没有面积' : 'box has no area');
    case 'tiny':
      return where + (zh ? `框太小（${Math.round(f.detail.width)}×${Math.round(f.detail.height)} px）` : `tiny box (${Math.round(f.detail.width)}×${Math.round(f.detail.height)} px)`);
    case 'out-of-image':
      return where + (zh ? `框超出图像 ${f.detail.beyondPx} px` : `box goes ${f.detail.beyondPx} px outside the image`);
    case 'overlap':
      return where + (zh ? `与框${f.detail.otherIndex + 1}重叠（IoU ${f.detail.iou}），同一目标标了两次？` : `overlaps box ${f.detail.otherIndex + 1} (IoU ${f.detail.iou}): one object boxed twice?`);
  }
}
