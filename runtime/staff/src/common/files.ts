import { http, request } from '@yiwang/web-kit/api';

export interface StoredFile {
  readonly id: string;
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
  readonly thumbnail?: boolean;
}

/** Uploads one file to /api/files (multipart), reporting progress. */
export async function uploadFile(file: File, progress?: (fraction: number) => void): Promise<StoredFile> {
  const [stored] = await http.upload<StoredFile[]>('/files', file, { progress });
  return stored;
}

const THUMBNAILED = /^image\/(png|jpeg|webp|gif)$/;
const thumbnails = new Map<string, Promise<string | null>>();

/**
 * An object URL of a file's thumbnail (the routes need the session's token, so an <img src> cannot
 * load them directly); null for files that have none (asked only for image types the server thumbnails).
 */
export function thumbnailUrl(file: Pick<StoredFile, 'id' | 'contentType' | 'thumbnail'>): Promise<string | null> {
  if (file.thumbnail === false || !THUMBNAILED.test(file.contentType)) return Promise.resolve(null);
  let url = thumbnails.get(file.id);
  if (!url) {
    url = request<Blob>('GET', `/api/files/${encodeURIComponent(file.id)}/thumbnail`, { blob: true, quiet: true }).then((blob) => URL.createObjectURL(blob), () => null);
    thumbnails.set(file.id, url);
  }
  return url;
}

/** Opens a file (in a new tab for images and PDFs, a download otherwise). */
export async function openFile(file: Pick<StoredFile, 'id' | 'name'>): Promise<void> {
  const blob = await request<Blob>('GET', `/api/files/${encodeURIComponent(file.id)}`, { blob: true });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.target = '_blank';
  link.rel = 'noopener';
  if (!/^(image\/|application\/pdf)/.test(blob.type)) link.download = file.name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
