import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CommandContext } from '../command/index.js';
import type { FileStorageConfig } from '../config/index.js';
import type { FileStorageKind, StoredFileEntity } from '../persistence/index.js';

/** An upload's bytes once they have all arrived, before a command stores them. */
export interface StagedContent {
  readonly size: number;
  /** hex */
  readonly sha256: string;
  /** the first bytes, to tell plain text from binary */
  readonly head: Buffer;
  /** what file-type and sharp read: the bytes themselves (database storage), or a temporary file's path (disk storage) */
  readonly source: Buffer | string;
}

/** Where one upload's bytes go while they arrive. */
export interface Stage {
  /** reads the upload to its end; rejects when the stream fails or is destroyed */
  receive(upload: Readable): Promise<StagedContent>;
  /** forgets what was received (removes a temporary file) */
  discard(): Promise<void>;
}

/** Without a configuration (an embedding application, tests): uploads in the database. */
export const DEFAULT_FILE_STORAGE: FileStorageConfig = { storage: 'database', directory: path.resolve('data', 'files') };

/** Database content is written in pieces of this size, each its own statement (see migration 007). */
export const CHUNK_SIZE = 1024 * 1024;

const HEAD_SIZE = 64 * 1024;

/**
 * The content of uploaded files: where new uploads go (the configured storage) and where existing
 * files are read from (what their row says, so files stay readable when the setting changes).
 * Database content lives in `stored_file_chunk`; disk content under `directory` at
 * `<tenant>/<yyyy>/<mm>/<file id>`, arriving first in `<directory>/.incoming/`.
 */
export class FileContents {
  constructor(private readonly config: FileStorageConfig) {}

  get storage(): FileStorageKind {
    return this.config.storage;
  }

  stage(): Stage {
    return this.config.storage === 'database' ? new MemoryStage() : new DiskStage(path.join(this.config.directory, '.incoming'));
  }

  /**
   * Before the command that records the file: moves disk content to where the row will say it
   * is, answering that relative path (null for database content, which the command writes).
   */
  async place(staged: StagedContent, file: { readonly id: string; readonly tenantId: string; readonly created: Date }): Promise<string | null> {
    if (typeof staged.source !== 'string') return null;
    const month = file.created.toISOString().slice(0, 7).split('-');
    const relative = path.posix.join(file.tenantId, ...month, file.id);
    const target = this.absolute(relative);
    await mkdir(path.dirname(target), { recursive: true });
    await rename(staged.source, target);
    return relative;
  }

  /**
   * Inside the command: the content's pieces, one INSERT each (a multi-row insert of a 20 MB file
   * would exceed MariaDB's max_allowed_packet). Disk content was placed already.
   */
  write(context: CommandContext, file: StoredFileEntity, staged: StagedContent): void {
    if (typeof staged.source === 'string') return;
    for (let seq = 0; seq * CHUNK_SIZE < staged.source.length; seq += 1) {
      const data = staged.source.subarray(seq * CHUNK_SIZE, (seq + 1) * CHUNK_SIZE);
      context.session.addStatement('INSERT INTO stored_file_chunk (id, file_id, tenant_id, seq, data) VALUES ($1, $2, $3, $4, $5)', [
        context.newId(), file.id, file.tenantId, seq, data,
      ]);
    }
  }

  /** The content, a piece at a time: from disk, or from the database through `readChunk`. */
  open(file: StoredFileEntity, readChunk: (seq: number) => Promise<Buffer | null>): Readable {
    if (file.storage === 'disk') return createReadStream(this.absolute(file.path as string));
    return Readable.from(chunksOf(file, readChunk));
  }

  /** Removes disk content: a placed file whose command failed, or a deleted file's. */
  async remove(relative: string): Promise<void> {
    await rm(this.absolute(relative), { force: true });
  }

  /** Paths come from rows this class wrote; still, none may point outside the directory. */
  private absolute(relative: string): string {
    const absolute = path.resolve(this.config.directory, relative);
    if (!absolute.startsWith(path.resolve(this.config.directory) + path.sep)) throw new Error(`the stored file path '${relative}' leaves the file directory`);
    return absolute;
  }
}

async function* chunksOf(file: StoredFileEntity, readChunk: (seq: number) => Promise<Buffer | null>): AsyncGenerator<Buffer> {
  for (let seq = 0, sent = 0; sent < file.size; seq += 1) {
    const data = await readChunk(seq);
    if (!data) throw new Error(`the content of file ${file.id} ends at piece ${seq}, before its ${file.size} bytes`);
    sent += data.length;
    yield data;
  }
}

/** Counts, hashes and keeps the first bytes of what passes through. */
class Meter extends Transform {
  private readonly hash = createHash('sha256');
  private readonly headParts: Buffer[] = [];
  private headSize = 0;
  size = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    if (this.headSize < HEAD_SIZE) {
      const part = chunk.subarray(0, HEAD_SIZE - this.headSize);
      this.headParts.push(part);
      this.headSize += part.length;
    }
    done(null, chunk);
  }

  measured(source: Buffer | string): StagedContent {
    return { size: this.size, sha256: this.hash.digest('hex'), head: Buffer.concat(this.headParts), source };
  }
}

/** Database storage: the bytes are held until the command writes them. */
class MemoryStage implements Stage {
  async receive(upload: Readable): Promise<StagedContent> {
    const meter = new Meter();
    const parts: Buffer[] = [];
    const collect = new Writable({
      write(chunk: Buffer, _encoding, done) {
        parts.push(chunk);
        done();
      },
    });
    await pipeline(upload, meter, collect);
    return meter.measured(Buffer.concat(parts));
  }

  async discard(): Promise<void> {}
}

/** Disk storage: the bytes go to a temporary file beside their final place (a rename moves them). */
class DiskStage implements Stage {
  private readonly file: string;

  constructor(private readonly directory: string) {
    this.file = path.join(directory, randomUUID());
  }

  async receive(upload: Readable): Promise<StagedContent> {
    await mkdir(this.directory, { recursive: true });
    const meter = new Meter();
    await pipeline(upload, meter, createWriteStream(this.file));
    return meter.measured(this.file);
  }

  async discard(): Promise<void> {
    await rm(this.file, { force: true });
  }
}
