import { describe, expect, it } from 'vitest';
import { imageSize } from './image-size.js';
import { JPEG_3X2, PNG_5X4 } from './test-images.js';

describe('imageSize', () => {
  it('reads a PNG header', () => {
    expect(imageSize(PNG_5X4)).toEqual({ width: 5, height: 4, format: 'png' });
  });

  it('reads the SOF segment of a JPEG, skipping the segments before it', () => {
    expect(imageSize(JPEG_3X2)).toEqual({ width: 3, height: 2, format: 'jpeg' });
  });

  it('finds a progressive (SOF2) frame after fill bytes', () => {
    const jpeg = Buffer.from([
      0xff, 0xd8, // SOI
      0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, // APP0 with a 2-byte payload
      0xff, 0xff, 0xc2, 0x00, 0x0b, 0x08, 0x01, 0x2c, 0x02, 0x58, 0x01, 0x01, 0x11, 0x00, // SOF2 600x300
    ]);
    expect(imageSize(jpeg)).toEqual({ width: 600, height: 300, format: 'jpeg' });
  });

  it('does not take a Huffman table (FFC4) for a frame', () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xc4, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x10, 0x00, 0x20]);
    expect(imageSize(jpeg)).toEqual({ width: 32, height: 16, format: 'jpeg' });
  });

  it('returns undefined for other formats and truncated headers', () => {
    expect(imageSize(Buffer.from('%PDF-1.7 hello'))).toBeUndefined();
    expect(imageSize(PNG_5X4.subarray(0, 20))).toBeUndefined();
    expect(imageSize(JPEG_3X2.subarray(0, 100))).toBeUndefined();
    expect(imageSize(Buffer.alloc(0))).toBeUndefined();
  });
});
