// Pure drawing helpers of the visual page: filtering by threshold and drawing boxes.

/**
 * @typedef {{ box: { x1: number, y1: number, x2: number, y2: number }, classId: number, key: string, zh: string, en: string, score: number }} Det
 */

/**
 * Detections at or above `threshold` (the server answered at a low threshold once; the
 * slider only filters).
 * @param {Det[]} dets
 * @param {number} threshold
 */
export function visible(dets, threshold) {
  return dets.filter((d) => d.score >= threshold - 1e-9);
}

/**
 * Draws the photo and the boxes. `scale` maps image pixels (the API's) to canvas pixels.
 * @param {CanvasRenderingContext2D} ctx
 * @param {CanvasImageSource} bitmap
 * @param {Det[]} dets
 * @param {number} scale
 * @param {(id: number) => string} colorOf
 * @param {'zh'|'en'} lang
 */
export function drawDetections(ctx, bitmap, dets, scale, colorOf, lang) {
  const { width, height } = ctx.canvas;
  ctx.clearRect(0, 0, width, height);
  ctx.drawImage(bitmap, 0, 0, width, height);
  // Sizes in CSS pixels of the displayed canvas, so labels read the same on a phone and a desktop.
  const perCssPx = width / (ctx.canvas.clientWidth || width);
  const line = Math.max(1, Math.round(2 * perCssPx));
  const font = Math.max(10, Math.round(13 * perCssPx));
  ctx.font = `600 ${font}px system-ui, "Noto Sans CJK SC", sans-serif`;
  ctx.textBaseline = 'top';
  // Lowest score first, so the best box's label ends on top.
  for (const d of [...dets].reverse()) {
    const c = colorOf(d.classId);
    const x = d.box.x1 * scale;
    const y = d.box.y1 * scale;
    const w = (d.box.x2 - d.box.x1) * scale;
    const h = (d.box.y2 - d.box.y1) * scale;
    ctx.lineWidth = line;
    ctx.strokeStyle = c;
    ctx.strokeRect(x, y, w, h);
    const label = `${lang === 'en' ? d.en : d.zh} ${d.score.toFixed(2)}`;
    const tw = ctx.measureText(label).width + font * 0.6;
    const th = font * 1.35;
    const ly = y - th >= 0 ? y - th : y;
    const lx = Math.min(Math.max(0, x - line / 2), Math.max(0, width - tw));
    ctx.fillStyle = c;
    ctx.fillRect(lx, ly, tw, th);
    ctx.fillStyle = '#fff';
    ctx.fillText(label, lx + font * 0.3, ly + font * 0.18);
  }
}
