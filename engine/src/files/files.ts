import type { Command, CommandContext } from '../command/index.js';
import { ConflictError, ForbiddenError } from '../errors/index.js';
import { countUnscoped, requireRow, type Noun } from '../identity/organisation/rules.js';
import { placeholders, STORED_FILE, type DbSession, type StoredFileEntity } from '../persistence/index.js';
import type { FileContents, StagedContent } from './content.js';

export const FILE_NOUN: Noun = { zh: '文件', en: 'file' };

/** A file as the API describes it (never its content). */
export interface FileView {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
  /** whether `/files/{id}/thumbnail` has an image */
  readonly thumbnail: boolean;
  readonly created: Date;
  readonly createdBy: string | null;
}

export function fileView(file: StoredFileEntity): FileView {
  const { id, tenantId, name, contentType, size, sha256, created, createdBy } = file;
  return { id, tenantId, name, contentType, size, sha256, thumbnail: file.thumbnail !== null, created, createdBy };
}

/** A file the session sees; another tenant's is as absent as one that never existed (404). */
export function requireFile(session: DbSession, id: string): Promise<StoredFileEntity> {
  return requireRow(session, STORED_FILE, id, FILE_NOUN);
}

/**
 * The ids among `ids` that name no file the session sees; [] when all exist. For checking the
 * references a filepicker value holds when a form is submitted.
 */
export async function fileReferencesExist(session: DbSession, ids: readonly string[]): Promise<string[]> {
  const distinct = [...new Set(ids)];
  if (distinct.length === 0) return [];
  const found = new Set((await session.select(STORED_FILE, `id IN (${placeholders(distinct.length)})`, distinct)).map((file) => file.id));
  return distinct.filter((id) => !found.has(id));
}

/** A file received and checked, ready to be recorded: its row (content placed on disk already, if stored there) and its bytes. */
export interface NewFile {
  readonly file: StoredFileEntity;
  readonly staged: StagedContent;
}

/** Records the files of one upload, all or none, with their content when it is stored in the database. */
export class StoreFilesCmd implements Command<StoredFileEntity[]> {
  readonly name = 'StoreFiles';

  constructor(
    private readonly uploads: readonly NewFile[],
    private readonly contents: FileContents,
  ) {}

  async execute(context: CommandContext): Promise<StoredFileEntity[]> {
    return this.uploads.map(({ file, staged }) => {
      const row = context.session.insert(STORED_FILE, { ...file, created: context.now() });
      this.contents.write(context, row, staged);
      context.audit({
        action: 'file.upload', objectType: 'file', objectId: row.id, tenantId: row.tenantId,
        detail: { name: row.name, contentType: row.contentType, size: row.size, sha256: row.sha256 },
      });
      return row;
    });
  }
}

/**
 * Deletes a file: its uploader may, and whoever may upload files (`file:write`) in the tenants they
 * see. A file some process variable mentions — running or finished, the case's record — is
 * refused (409): the check looks for the id in every variable value in history, which covers
 * filepicker values however they are nested. Disk content is removed after the commit.
 */
export class DeleteFileCmd implements Command<StoredFileEntity> {
  readonly name = 'DeleteFile';

  constructor(
    private readonly fileId: string,
    /** the caller holds `file:write` */
    private readonly mayDeleteOthers: boolean,
  ) {}

  async execute(context: CommandContext): Promise<StoredFileEntity> {
    const { session } = context;
    const file = await requireFile(session, this.fileId);
    if (!this.mayDeleteOthers && file.createdBy !== context.actor?.userId) {
      throw new ForbiddenError(`只有上传者或有上传权限者可以删除文件 ${file.name} (only its uploader or a holder of 'file:write' may delete file '${file.name}')`);
    }
    const references = await countUnscoped(session.sql, "SELECT COUNT(*) AS n FROM hi_variable WHERE state <> 'DELETED' AND text_value LIKE $1", [`%${file.id}%`]);
    if (references > 0) {
      throw new ConflictError(`文件 ${file.name} 被 ${references} 个流程变量引用，不能删除 (file '${file.name}' is referenced by ${references} process variables and cannot be deleted)`);
    }
    session.delete(STORED_FILE, file);
    session.addStatement('DELETE FROM stored_file_chunk WHERE file_id = $1', [file.id]);
    context.audit({ action: 'file.delete', objectType: 'file', objectId: file.id, tenantId: file.tenantId, detail: { name: file.name, sha256: file.sha256 } });
    return file;
  }
}
