import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { BadUserRequestError } from '../errors/index.js';
import type { Stage, StagedContent } from './content.js';
import { FileTooLargeError } from './refusals.js';

/** One file of an upload, all of it received. */
export interface ReceivedFile {
  /** the part's field name */
  readonly field: string;
  /** the name the client sent, without any folder part */
  readonly name: string;
  readonly staged: StagedContent;
  /** forgets the received bytes unless something took them over */
  discard(): Promise<void>;
}

/** A plain (text) field of a multipart body. */
export interface ReceivedField {
  readonly name: string;
  readonly value: string;
}

/** A multipart body as received: its plain fields and its files, each in the order they came. */
export interface MultipartBody {
  readonly fields: readonly ReceivedField[];
  readonly files: readonly ReceivedFile[];
}

export interface UploadLimits {
  /** bytes per file */
  readonly maxSize: number;
  readonly maxFiles: number;
}

/** The errors a body is refused with; a route may word its own. */
export interface ReceiveRefusals {
  /** the request is no multipart/form-data */
  notMultipart(reason: string): Error;
  /** the file at `index` (0-based, in the body's order) passed `maxSize` */
  tooLarge(name: string, maxSize: number, index: number): Error;
  tooManyFiles(maxFiles: number): Error;
  /** a plain field where only files are accepted */
  fieldRefused(name: string): Error;
  tooManyFields(maxFields: number): Error;
  fieldTooLong(name: string): Error;
  unreadable(reason: string): Error;
  incomplete(): Error;
}

const DEFAULT_REFUSALS: ReceiveRefusals = {
  notMultipart: (reason) => new BadUserRequestError(`请以 multipart/form-data 上传文件 (send files as multipart/form-data: ${reason})`),
  tooLarge: (name, maxSize) => new FileTooLargeError(name, maxSize),
  tooManyFiles: (maxFiles) => new BadUserRequestError(`一次最多上传 ${maxFiles} 个文件 (at most ${maxFiles} files per upload)`),
  fieldRefused: (name) => new BadUserRequestError(`只接受文件，不接受字段 ${name} (only files are accepted; the part '${name}' is a plain field)`),
  tooManyFields: (maxFields) => new BadUserRequestError(`字段过多，最多 ${maxFields} 个 (at most ${maxFields} plain fields)`),
  fieldTooLong: (name) => new BadUserRequestError(`字段 ${name} 过长 (the field '${name}' is too long)`),
  unreadable: (reason) => new BadUserRequestError(`无法读取上传内容 (the multipart body cannot be read: ${reason})`),
  incomplete: () => new BadUserRequestError('上传未完成，连接已断开 (the connection closed before the upload was complete)'),
};

export interface ReceiveOptions {
  readonly limits: UploadLimits;
  /** plain fields the body may hold (count, characters each); without it a plain field refuses the body */
  readonly fields?: { readonly max: number; readonly maxLength: number };
  /** where each file's bytes go while they arrive */
  readonly newStage: () => Stage;
  /**
   * Each plain field as it is read. Files after it wait (unread: the client is slowed down by TCP)
   * until its answer settles; a rejection ends the body with that error.
   */
  onField?(name: string, value: string): void | Promise<void>;
  /**
   * Before each file is staged, once every earlier `onField` settled: may answer a smaller size
   * limit for this file, or reject to end the body (nothing of the file is staged then).
   */
  beforeFile?(field: string, name: string, index: number): number | void | Promise<number | void>;
  readonly refusals?: Partial<ReceiveRefusals>;
}

/** A file name as stored and offered back: no folders, no control characters, at most 255 characters. */
export function cleanFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255);
  return clean || 'file';
}

/**
 * Reads the files of a multipart/form-data request as they arrive (see receiveMultipart), plain
 * fields refused; an upload without a file is a 400.
 */
export async function receiveUploads(request: IncomingMessage, limits: UploadLimits, newStage: () => Stage): Promise<ReceivedFile[]> {
  const { files } = await receiveMultipart(request, { limits, newStage });
  if (files.length > 0) return [...files];
  throw new BadUserRequestError('未收到文件 (the upload holds no file)');
}

/**
 * Reads a multipart/form-data request as it arrives: plain fields (within `fields`) handed to
 * `onField` in order, files each through a `Stage` (memory or a temporary file) once `beforeFile`
 * let them in. The first file past its size limit, the first file past `maxFiles`, a field past
 * its limits, a malformed body or a rejected hook stop the body at once: the request is no longer
 * parsed (what the client still sends is read and dropped, never held) and the error goes out
 * while the client may still be sending. On any failure whatever was received is discarded.
 */
export function receiveMultipart(request: IncomingMessage, options: ReceiveOptions): Promise<MultipartBody> {
  const refusals: ReceiveRefusals = { ...DEFAULT_REFUSALS, ...options.refusals };
  const { limits } = options;
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      // browsers send file names as raw UTF-8 (中文.jpg), not in RFC 5987's encoding; busboy
      // reports a file that reaches its limit, so one byte more tells a file beyond maxSize
      parser = busboy({
        headers: request.headers,
        defParamCharset: 'utf8',
        limits: { fileSize: limits.maxSize + 1, files: limits.maxFiles, fields: options.fields?.max ?? Infinity, fieldSize: options.fields?.maxLength ?? Infinity },
      });
    } catch (error) {
      reject(refusals.notMultipart((error as Error).message));
      return;
    }
    const stages: Stage[] = [];
    const streams: Readable[] = [];
    const files: Promise<ReceivedFile>[] = [];
    const fields: ReceivedField[] = [];
    /** the hooks run one after another, in the body's order */
    let gate: Promise<unknown> = Promise.resolve();
    let fileCount = 0;
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      request.unpipe(parser);
      request.resume();
      for (const stream of streams) stream.destroy();
      void Promise.allSettled(files).then(() => Promise.allSettled(stages.map((stage) => stage.discard())));
      reject(error);
    };
    const next = <T>(step: () => T | Promise<T>): Promise<T> => {
      const done = gate.then(() => (failed ? Promise.reject(new Error('the body was refused')) : step()));
      gate = done;
      done.catch(fail);
      return done;
    };
    parser.on('field', (name, value, info) => {
      if (failed) return;
      if (!options.fields) return fail(refusals.fieldRefused(name));
      if (info.valueTruncated) return fail(refusals.fieldTooLong(name));
      fields.push({ name, value });
      if (options.onField) void next(() => options.onField?.(name, value)).catch(() => undefined);
    });
    parser.on('file', (field, stream, info) => {
      if (failed) {
        stream.resume();
        return;
      }
      const index = fileCount++;
      const name = cleanFileName(info.filename ?? field);
      streams.push(stream);
      stream.on('limit', () => fail(refusals.tooLarge(name, limits.maxSize, index)));
      const ready = next(() => options.beforeFile?.(field, name, index));
      const file = ready.then(async (limit) => {
        const maxSize = Math.min(limit ?? limits.maxSize, limits.maxSize);
        const capped = stream.pipe(new Cap(maxSize, () => fail(refusals.tooLarge(name, maxSize, index))));
        streams.push(capped);
        const stage = options.newStage();
        stages.push(stage);
        const staged = await stage.receive(capped);
        return { field, name, staged, discard: () => stage.discard() };
      });
      file.catch((error: Error) => fail(refusals.unreadable(error.message)));
      files.push(file);
    });
    parser.on('filesLimit', () => fail(refusals.tooManyFiles(limits.maxFiles)));
    parser.on('fieldsLimit', () => fail(refusals.tooManyFields(options.fields?.max ?? 0)));
    parser.on('error', (error: Error) => fail(refusals.unreadable(error.message)));
    parser.on('close', () => {
      if (failed) return;
      Promise.all([gate, Promise.all(files)]).then(([, received]) => {
        if (!failed) resolve({ fields, files: received });
      }, fail);
    });
    request.on('close', () => {
      if (!request.complete) fail(refusals.incomplete());
    });
    request.pipe(parser);
  });
}

/** Passes a file's bytes on until there are more than `maxSize`: then it says so and fails. */
class Cap extends Transform {
  private size = 0;

  constructor(
    private readonly maxSize: number,
    private readonly onExceeded: () => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size <= this.maxSize) return done(null, chunk);
    this.onExceeded();
    done(new Error(`more than ${this.maxSize} bytes`));
  }
}
