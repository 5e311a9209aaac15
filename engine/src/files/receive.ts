import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { BadUserRequestError } from '../errors/index.js';
import type { Stage, StagedContent } from './content.js';
import { FileTooLargeError } from './refusals.js';

/** One file of an upload, all of it received. */
export interface ReceivedFile {
  /** the name the client sent, without any folder part */
  readonly name: string;
  readonly staged: StagedContent;
  /** forgets the received bytes unless something took them over */
  discard(): Promise<void>;
}

export interface UploadLimits {
  /** bytes per file */
  readonly maxSize: number;
  readonly maxFiles: number;
}

/** A file name as stored and offered back: no folders, no control characters, at most 255 characters. */
export function cleanFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255);
  return clean || 'file';
}

/**
 * Reads the files of a multipart/form-data request as they arrive, each through a `Stage`
 * (memory or a temporary file). A file that passes `maxSize` stops the upload at once: the
 * request is no longer parsed (what the client still sends is read and dropped, never held) and
 * the 413 naming the file goes out while the client may still be sending. Plain fields, more
 * than `maxFiles` files, no file at all or a malformed body are 400s. On any failure whatever
 * was received is discarded.
 */
export function receiveUploads(request: IncomingMessage, limits: UploadLimits, newStage: () => Stage): Promise<ReceivedFile[]> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      // browsers send file names as raw UTF-8 (中文.jpg), not in RFC 5987's encoding; busboy
      // reports a file that reaches its limit, so one byte more tells a file beyond maxSize
      parser = busboy({ headers: request.headers, defParamCharset: 'utf8', limits: { fileSize: limits.maxSize + 1, files: limits.maxFiles } });
    } catch (error) {
      reject(new BadUserRequestError(`请以 multipart/form-data 上传文件 (send files as multipart/form-data: ${(error as Error).message})`));
      return;
    }
    const stages: Stage[] = [];
    const streams: Readable[] = [];
    const files: Promise<ReceivedFile>[] = [];
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
    parser.on('file', (field, stream, info) => {
      if (failed) {
        stream.resume();
        return;
      }
      const name = cleanFileName(info.filename ?? field);
      const stage = newStage();
      stages.push(stage);
      streams.push(stream);
      stream.on('limit', () => fail(new FileTooLargeError(name, limits.maxSize)));
      const file = stage.receive(stream).then((staged) => ({ name, staged, discard: () => stage.discard() }));
      file.catch((error: Error) => fail(unreadable(error)));
      files.push(file);
    });
    parser.on('field', (name) => fail(new BadUserRequestError(`只接受文件，不接受字段 ${name} (only files are accepted; the part '${name}' is a plain field)`)));
    parser.on('filesLimit', () => fail(new BadUserRequestError(`一次最多上传 ${limits.maxFiles} 个文件 (at most ${limits.maxFiles} files per upload)`)));
    parser.on('error', (error: Error) => fail(unreadable(error)));
    parser.on('close', () => {
      if (failed) return;
      Promise.all(files).then((received) => (received.length > 0 ? resolve(received) : fail(new BadUserRequestError('未收到文件 (the upload holds no file)'))), fail);
    });
    request.on('close', () => {
      if (!request.complete) fail(new BadUserRequestError('上传未完成，连接已断开 (the connection closed before the upload was complete)'));
    });
    request.pipe(parser);
  });
}

function unreadable(error: Error): BadUserRequestError {
  return new BadUserRequestError(`无法读取上传内容 (the multipart body cannot be read: ${error.message})`);
}
