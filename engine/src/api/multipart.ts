import busboy from 'busboy';
import type { Context } from 'koa';
import { BadUserRequestError } from '../errors/index.js';

/** One part of a multipart/form-data body. */
export interface MultipartPart {
  /** the part's field name */
  readonly name: string;
  /** a file part (sent with a file name or as application/octet-stream), or a plain field */
  readonly isFile: boolean;
  /** the file name a file part was sent with, if any */
  readonly filename?: string;
  readonly content: Buffer;
}

/** What a route accepts, in bytes and counts; anything beyond is refused, never cut short. */
export interface MultipartLimits {
  readonly fileSize: number;
  readonly files: number;
  readonly fields: number;
  readonly fieldSize: number;
}

/** The route's words for each refusal (each a 400). */
export interface MultipartMessages {
  notMultipart(contentType: string): string;
  fileTooLarge(filename: string): string;
  readonly tooManyFiles: string;
  readonly tooManyFields: string;
  fieldTooLong(name: string): string;
  unreadable(reason: string): string;
}

export interface MultipartUpload {
  readonly limits: MultipartLimits;
  readonly messages: MultipartMessages;
}

/**
 * Reads a multipart/form-data request body with busboy: every part, fields and files, in the
 * order they came. A body beyond the route's limits, or one busboy cannot parse, is a 400 with
 * the route's message (the first problem found), never a partly read upload.
 */
export function readMultipart(ctx: Context, { limits, messages }: MultipartUpload): Promise<MultipartPart[]> {
  if (!ctx.is('multipart/form-data')) return Promise.reject(new BadUserRequestError(messages.notMultipart(ctx.get('Content-Type') || 'no content type')));
  return new Promise((resolve, reject) => {
    const parts: MultipartPart[] = [];
    let failure: string | null = null;
    const fail = (message: string) => (failure ??= message);
    const parser = busboy({ headers: ctx.req.headers, limits, defParamCharset: 'utf8' });
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) fail(messages.fieldTooLong(name));
      parts.push({ name, isFile: false, content: Buffer.from(value, 'utf8') });
    });
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => fail(messages.fileTooLarge(info.filename ?? name)));
      stream.on('close', () => parts.push({ name, isFile: true, filename: info.filename, content: Buffer.concat(chunks) }));
    });
    parser.on('filesLimit', () => fail(messages.tooManyFiles));
    parser.on('fieldsLimit', () => fail(messages.tooManyFields));
    parser.on('error', (error: Error) => reject(new BadUserRequestError(messages.unreadable(error.message))));
    parser.on('close', () => (failure === null ? resolve(parts) : reject(new BadUserRequestError(failure))));
    ctx.req.pipe(parser);
  });
}
