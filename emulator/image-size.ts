/** Pixel size of an encoded image, read from its header without decoding it. */
export interface ImageSize {
  width: number;
  height: number;
  format: 'png' | 'jpeg';
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Reads width and height from a PNG (IHDR) or JPEG (first SOFn segment) header, the way
 * Telegram fills `PhotoSize.width/height`. Returns undefined for anything else or for a
 * truncated header; never throws. The size is of the bytes as stored: EXIF orientation
 * is not applied.
 */
export function imageSize(buf: Uint8Array): ImageSize | undefined {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length >= 24 && b.subarray(0, 8).equals(PNG_SIGNATURE) && b.toString('latin1', 12, 16) === 'IHDR') {
    return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), format: 'png' };
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) return jpegSize(b);
  return undefined;
}

function isStartOfFrame(marker: number): boolean {
  // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpegSize(b: Buffer): ImageSize | undefined {
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return undefined;
    let marker = b[i + 1] ?? 0;
    // Fill bytes: any number of 0xFF may precede a marker.
    while (marker === 0xff && i + 2 < b.length) {
      i += 1;
      marker = b[i + 1] ?? 0;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image / start of scan
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      i += 2; // standalone markers carry no length
      continue;
    }
    if (i + 4 > b.length) return undefined;
    const length = b.readUInt16BE(i + 2);
    if (length < 2) return undefined;
    if (isStartOfFrame(marker)) {
      if (i + 9 > b.length) return undefined;
      return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7), format: 'jpeg' };
    }
    i += 2 + length;
  }
  return undefined;
}
