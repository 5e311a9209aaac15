import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { timeOrderedId } from '../command/ids.js';
import type { Actor } from '../command/index.js';
import type { FileStorageConfig } from '../config/index.js';
import { NotFoundError } from '../errors/index.js';
import { hasPermission, readAs, type Principal } from '../identity/index.js';
import { requireTenant } from '../identity/organisation/rules.js';
import type { Logger } from '../logging/index.js';
import { STORED_FILE_CHUNK, type DbSession, type StoredFileEntity } from '../persistence/index.js';
import type { ProcessEngine } from '../services/index.js';
import { FileContents, type StagedContent } from './content.js';
import { makeThumbnail, recogniseType } from './examine.js';
import { DeleteFileCmd, fileView, requireFile, StoreFilesCmd, type FileView, type NewFile } from './files.js';
import { readFilePolicy, SetFilePolicyCmd, type FilePolicy, type TenantFilePolicy } from './policy.js';
import { receiveUploads, type ReceivedFile } from './receive.js';
import { emptyFile, typeRefused, typeUnknown, UploadRefusedError, type FileRefusal } from './refusals.js';

/** At most this many files per upload request. */
export const MAX_FILES_PER_UPLOAD = 10;

/** Who asks: their principal scopes the reads, their actor runs and audits the commands. */
export interface FileCaller {
  readonly principal: Principal;
  readonly actor: Actor;
}

/** A file's content as a stream, with the row that describes it. */
export interface FileContent {
  readonly file: StoredFileEntity;
  readonly content: Readable;
}

/**
 * Uploads and downloads of files, and the upload policy of tenants. Files belong to the uploader's
 * tenant and follow its policy; every read goes through the caller's scope.
 */
export class FileService {
  private readonly contents: FileContents;

  constructor(
    private readonly engine: ProcessEngine,
    storage: FileStorageConfig,
    private readonly logger: Logger,
  ) {
    this.contents = new FileContents(storage);
  }

  /**
   * Receives the files of a multipart request, checks each by its content against the caller's
   * tenant's policy, makes thumbnails of images and records them in one command: all files or none.
   */
  async upload(caller: FileCaller, request: IncomingMessage): Promise<FileView[]> {
    const tenantId = caller.principal.tenantId;
    const policy = await this.read(caller.principal, (session) => readFilePolicy(session, tenantId));
    const received = await receiveUploads(request, { maxSize: policy.maxSize, maxFiles: MAX_FILES_PER_UPLOAD }, () => this.contents.stage());
    const placed: string[] = [];
    try {
      const uploads = await this.accept(received, policy, tenantId, caller.actor.userId);
      for (const { file, staged } of uploads) {
        file.path = await this.contents.place(staged, file);
        if (file.path) placed.push(file.path);
      }
      const files = await this.engine.commandExecutor.execute(new StoreFilesCmd(uploads, this.contents), { actor: caller.actor });
      return files.map(fileView);
    } catch (error) {
      await Promise.all(placed.map((relative) => this.contents.remove(relative)));
      throw error;
    } finally {
      await Promise.all(received.map((file) => file.discard()));
    }
  }

  meta(principal: Principal, id: string): Promise<FileView> {
    return this.read(principal, async (session) => fileView(await requireFile(session, id)));
  }

  /** The content, read a piece at a time (each piece through the caller's scope, like the file itself). */
  async content(principal: Principal, id: string): Promise<FileContent> {
    const file = await this.read(principal, (session) => requireFile(session, id));
    const readChunk = (seq: number) =>
      this.read(principal, async (session) => (await session.select(STORED_FILE_CHUNK, 'file_id = $1 AND seq = $2', [id, seq]))[0]?.data ?? null);
    return { file, content: this.contents.open(file, readChunk) };
  }

  async thumbnail(principal: Principal, id: string): Promise<{ readonly file: StoredFileEntity; readonly image: Buffer }> {
    const file = await this.read(principal, (session) => requireFile(session, id));
    if (!file.thumbnail) throw new NotFoundError(`文件 ${file.name} 没有缩略图 (file '${file.name}' has no thumbnail: it is no image, or one that could not be decoded)`);
    return { file, image: file.thumbnail };
  }

  /** Deletes a file (see DeleteFileCmd); its disk content goes once the deletion committed. */
  async delete(caller: FileCaller, id: string): Promise<void> {
    const file = await this.engine.commandExecutor.execute(new DeleteFileCmd(id, hasPermission(caller.principal, 'file:write')), { actor: caller.actor });
    if (file.path === null) return;
    await this.contents.remove(file.path).catch((error: unknown) => this.logger.warn({ err: error, fileId: id, path: file.path }, 'the deleted file stays on disk'));
  }

  /** The policy of a tenant the caller sees (their own by default). */
  policy(principal: Principal, tenantId = principal.tenantId): Promise<TenantFilePolicy> {
    return this.read(principal, async (session) => readFilePolicy(session, (await requireTenant(session, tenantId)).id));
  }

  async setPolicy(caller: FileCaller, input: FilePolicy & { readonly tenantId?: string }): Promise<TenantFilePolicy> {
    const { tenantId } = await this.engine.commandExecutor.execute(new SetFilePolicyCmd(input), { actor: caller.actor });
    return this.policy(caller.principal, tenantId);
  }

  private read<T>(principal: Principal, work: (session: DbSession) => Promise<T>): Promise<T> {
    return readAs(this.engine.database, principal, work);
  }

  /**
   * The files the policy accepts, with their rows; any refused file refuses the upload, naming
   * each file and rule. Thumbnails are made only once every file is accepted.
   */
  private async accept(received: readonly ReceivedFile[], policy: FilePolicy, tenantId: string, userId: string): Promise<NewFile[]> {
    const refusals: FileRefusal[] = [];
    const uploads: NewFile[] = [];
    for (const { name, staged } of received) {
      const contentType = staged.size === 0 ? null : await recogniseType(staged);
      const refusal = refusalOf(name, staged.size, contentType, policy);
      if (refusal) refusals.push(refusal);
      else uploads.push({ file: newFile(name, contentType as string, staged, tenantId, userId, this.contents.storage), staged });
    }
    if (refusals.length > 0) throw new UploadRefusedError(refusals);
    for (const { file, staged } of uploads) {
      if (file.contentType.startsWith('image/')) file.thumbnail = await thumbnailOf(file, staged, this.logger);
    }
    return uploads;
  }
}

/** A thumbnail of an image, or null when it cannot be decoded (the file is kept all the same). */
export async function thumbnailOf(file: StoredFileEntity, staged: StagedContent, logger: Logger): Promise<Buffer | null> {
  try {
    return await makeThumbnail(staged.source);
  } catch (error) {
    logger.debug({ err: error, name: file.name, contentType: file.contentType }, 'no thumbnail: the image cannot be decoded');
    return null;
  }
}

function refusalOf(name: string, size: number, contentType: string | null, policy: FilePolicy): FileRefusal | null {
  if (size === 0) return emptyFile(name);
  if (contentType === null) return typeUnknown(name);
  return policy.allowedTypes.includes(contentType) ? null : typeRefused(name, contentType, policy.allowedTypes);
}

/** The row of a file received and accepted, before its content is placed (`createdBy` null: an anonymous upload). */
export function newFile(
  name: string, contentType: string, staged: StagedContent, tenantId: string, createdBy: string | null, storage: StoredFileEntity['storage'], created = new Date(),
): StoredFileEntity {
  return { id: timeOrderedId(), tenantId, name, contentType, size: staged.size, sha256: staged.sha256, storage, path: null, thumbnail: null, created, createdBy };
}
