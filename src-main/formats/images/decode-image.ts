import { decode as decodeJpeg } from 'jpeg-js';
import { decode as decodePng, hasPngSignature } from 'fast-png';
import { invalidData, unsupported } from '../../common/errors';

/**
 * JPEG and PNG files to RGB pixels (jpeg-js, fast-png): bytes in, an [H, W, 3] uint8 image out.
 * Greyscale is replicated to three channels, alpha is dropped, 16-bit PNG is scaled to 8 bits.
 */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

const MAX_PIXELS = 100_000_000;

export function decodeImage(bytes: Uint8Array, source: string): RgbImage {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    try {
      const img = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: 100, maxMemoryUsageInMB: 1024 });
      return fromChannels(img.width, img.height, img.data, 4, 8);
    } catch (error) {
      throw invalidData(`${source}: JPEG data is corrupt or unsupported (${(error as Error).message})`);
    }
  }
  if (hasPngSignature(bytes)) {
    let png: ReturnType<typeof decodePng>;
    try {
      png = decodePng(bytes);
    } catch (error) {
      throw invalidData(`${source}: PNG data is corrupt or unsupported (${(error as Error).message})`);
    }
    if (png.palette !== undefined) throw unsupported(`${source}: palette PNGs are not supported`);
    return fromChannels(png.width, png.height, png.data as Uint8Array | Uint16Array, png.channels, png.depth);
  }
  throw unsupported(`${source}: not a JPEG or PNG image`);
}

function fromChannels(width: number, height: number, data: Uint8Array | Uint16Array | Uint8ClampedArray, channels: number, depth: number): RgbImage {
  if (width * height > MAX_PIXELS) throw unsupported(`image of ${width}×${height} pixels is too large`);
  const out = new Uint8Array(width * height * 3);
  const shift = depth === 16 ? 8 : 0;
  for (let p = 0; p < width * height; p++) {
    if (channels >= 3) {
      out[3 * p] = data[channels * p]! >> shift;
      out[3 * p + 1] = data[channels * p + 1]! >> shift;
      out[3 * p + 2] = data[channels * p + 2]! >> shift;
    } else {
      const g = data[channels * p]! >> shift;
      out[3 * p] = g;
      out[3 * p + 1] = g;
      out[3 * p + 2] = g;
    }
  }
  return { width, height, data: out };
}

/**
 * Resize so the shorter side is `resize` pixels (bilinear, pixel centres aligned), then crop the
 * central `crop` × `crop` square — the usual ImageNet evaluation transform (e.g. 256 then 224).
 * Without `resize` the image keeps its size; without `crop` nothing is cut.
 */
export function resizeAndCrop(img: RgbImage, resize: number | undefined, crop: number | undefined): RgbImage {
  let cur = img;
  if (resize !== undefined) {
    const scale = resize / Math.min(img.width, img.height);
    const w = Math.max(1, Math.round(img.width * scale));
    const h = Math.max(1, Math.round(img.height * scale));
    cur = bilinear(img, w, h);
  }
  if (crop === undefined) return cur;
  if (crop > cur.width || crop > cur.height) throw unsupported(`a ${crop}×${crop} crop does not fit a ${cur.width}×${cur.height} image`);
  const x0 = Math.floor((cur.width - crop) / 2);
  const y0 = Math.floor((cur.height - crop) / 2);
  const out = new Uint8Array(crop * crop * 3);
  for (let y = 0; y < crop; y++) out.set(cur.data.subarray(((y0 + y) * cur.width + x0) * 3, ((y0 + y) * cur.width + x0 + crop) * 3), y * crop * 3);
  return { width: crop, height: crop, data: out };
}

function bilinear(img: RgbImage, w: number, h: number): RgbImage {
  const out = new Uint8Array(w * h * 3);
  const sx = img.width / w;
  const sy = img.height / h;
  for (let y = 0; y < h; y++) {
    const fy = Math.min(img.height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(img.height - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < w; x++) {
      const fx = Math.min(img.width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(img.width - 1, x0 + 1);
      const wx = fx - x0;
      for (let c = 0; c < 3; c++) {
        const a = img.data[(y0 * img.width + x0) * 3 + c]!;
        const b = img.data[(y0 * img.width + x1) * 3 + c]!;
        const d = img.data[(y1 * img.width + x0) * 3 + c]!;
        const e = img.data[(y1 * img.width + x1) * 3 + c]!;
        out[(y * w + x) * 3 + c] = Math.round((a * (1 - wx) + b * wx) * (1 - wy) + (d * (1 - wx) + e * wx) * wy);
      }
    }
  }
  return { width: w, height: h, data: out };
}
