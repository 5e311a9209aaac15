import { fileTypeFromBuffer, fileTypeFromFile } from 'file-type';
import sharp from 'sharp';
import type { StagedContent } from './content.js';
import { TEXT_PLAIN } from './policy.js';

/** Thumbnails fit in a square of this many pixels. */
export const THUMBNAIL_SIZE = 320;

/** Larger images (a decompression bomb: a small PNG of 50,000² pixels) get no thumbnail rather than gigabytes of memory. */
const MAX_IMAGE_PIXELS = 100_000_000;

/**
 * The MIME type of the content, recognised by its signature (file-type), never by the name or
 * the type the client declared: a PNG named `.pdf` is a PNG. Content without a signature is
 * `text/plain` when it is UTF-8 without NUL bytes; otherwise null (unrecognised).
 */
export async function recogniseType(staged: StagedContent): Promise<string | null> {
  const detected = typeof staged.source === 'string' ? await fileTypeFromFile(staged.source) : await fileTypeFromBuffer(staged.source);
  if (detected) return detected.mime;
  return isPlainText(staged) ? TEXT_PLAIN : null;
}

function isPlainText({ head, size }: StagedContent): boolean {
  if (size === 0 || head.includes(0)) return false;
  try {
    // `stream` tolerates a character cut in two at the end of the head
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: head.length < size });
    return true;
  } catch {
    return false;
  }
}

/**
 * A WebP of at most THUMBNAIL_SIZE pixels a side, turned upright as the EXIF orientation says
 * (phones store photos sideways and tag them). Throws when the image cannot be decoded (HEIC:
 * the bundled libvips has no HEVC decoder).
 */
export function makeThumbnail(source: Buffer | string): Promise<Buffer> {
  return sharp(source, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' })
    .rotate()
    .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 75 })
    .toBuffer();
}
