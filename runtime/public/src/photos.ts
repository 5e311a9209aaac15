/**
 * A citizen's photos before upload: larger than 1600 px on their long side (a phone's camera
 * gives 4000 px and 3–8 MB), or of a type the server does not take (HEIC, when the browser can
 * decode it), they are redrawn on a canvas as JPEG of at most 1600 px — a tenth of the data on a
 * mobile connection, and the location in the photo's EXIF does not travel. The server still checks
 * type (by content) and size.
 */
import type { PhotoPolicy } from './api.js';

export const MAX_SIDE = 1600;
const JPEG_QUALITY = 0.85;

export interface Photo {
  readonly file: File;
  /** object URL for the preview; revoke with `releasePhoto` */
  readonly url: string;
}

/** Why a file was not taken; the caller words it. */
export type PhotoRefusal = { readonly reason: 'type' | 'size' | 'count'; readonly name: string };

function decode(file: Blob): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(file);
    const image = new Image();
    image.onload = () => {
      URL.revokeObjectURL(url);
      resolve(image);
    };
    image.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error('not an image'));
    };
    image.src = url;
  });
}

function toJpeg(image: HTMLImageElement, name: string): Promise<File> {
  const scale = Math.min(1, MAX_SIDE / Math.max(image.naturalWidth, image.naturalHeight));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(image.naturalWidth * scale));
  canvas.height = Math.max(1, Math.round(image.naturalHeight * scale));
  const context = canvas.getContext('2d');
  if (!context) return Promise.reject(new Error('no canvas'));
  // a transparent PNG's background becomes white, not black
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(new File([blob], `${name.replace(/\.[^.]*$/, '') || 'photo'}.jpg`, { type: 'image/jpeg' })) : reject(new Error('no JPEG'))), 'image/jpeg', JPEG_QUALITY);
  });
}

/**
 * The file as it will be uploaded, or a refusal: not an image at all (or one the browser cannot
 * decode and the server does not take), or still over the size limit after downscaling.
 */
export async function preparePhoto(file: File, policy: PhotoPolicy): Promise<File | PhotoRefusal> {
  const refused = (reason: PhotoRefusal['reason']): PhotoRefusal => ({ reason, name: file.name });
  if (!file.type.startsWith('image/')) return refused('type');
  let image: HTMLImageElement;
  try {
    image = await decode(file);
  } catch {
    return refused('type');
  }
  const allowed = policy.contentTypes.includes(file.type);
  const large = Math.max(image.naturalWidth, image.naturalHeight) > MAX_SIDE;
  let prepared = file;
  if (!allowed || large || file.size > policy.maxBytes) {
    if (!policy.contentTypes.includes('image/jpeg')) return refused(allowed ? 'size' : 'type');
    try {
      prepared = await toJpeg(image, file.name);
    } catch {
      return refused('type');
    }
    // a small PNG may grow as JPEG: keep the original then
    if (allowed && !large && prepared.size > file.size) prepared = file;
  }
  return prepared.size > policy.maxBytes ? refused('size') : prepared;
}

export function photoOf(file: File): Photo {
  return { file, url: URL.createObjectURL(file) };
}

export function releasePhoto(photo: Photo): void {
  URL.revokeObjectURL(photo.url);
}

export function isRefusal(value: File | PhotoRefusal): value is PhotoRefusal {
  return !(value instanceof File);
}
