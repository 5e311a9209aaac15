import { supportedMimeTypes } from 'file-type';
import type { Command, CommandContext } from '../command/index.js';
import { BadUserRequestError } from '../errors/index.js';
import { applyChanges, targetTenant } from '../identity/organisation/rules.js';
import { TENANT_FILE_POLICY, type DbSession, type TenantFilePolicyEntity } from '../persistence/index.js';

/** What a tenant accepts as uploads. */
export interface FilePolicy {
  /** bytes, per file */
  readonly maxSize: number;
  /** MIME types, as recognised from the content */
  readonly allowedTypes: readonly string[];
}

export interface TenantFilePolicy extends FilePolicy {
  readonly tenantId: string;
  /** false: the tenant has not set its own and takes the platform's defaults */
  readonly custom: boolean;
}

export const MEGABYTE = 1024 * 1024;

/** Plain text has no signature to recognise: a file is text when it is UTF-8 without NUL bytes. */
export const TEXT_PLAIN = 'text/plain';

/**
 * The defaults: photos (phones send JPEG or HEIC), PDF and Office documents, up to 20 MB each.
 * Text files only where a tenant allows them.
 */
export const DEFAULT_FILE_POLICY: FilePolicy = {
  maxSize: 20 * MEGABYTE,
  allowedTypes: [
    'image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/heic', 'image/heif',
    'application/pdf',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  ],
};

/** The most a policy may allow per file: uploads are held in memory (database storage) until their command commits. */
export const MAX_FILE_SIZE = 100 * MEGABYTE;

/** The types the server can recognise by content; a policy may allow only these. */
export const RECOGNISED_TYPES: ReadonlySet<string> = new Set([...supportedMimeTypes, TEXT_PLAIN]);

/** The tenant's policy, or the defaults when it has none. */
export async function readFilePolicy(session: DbSession, tenantId: string): Promise<TenantFilePolicy> {
  const [row] = await session.select(TENANT_FILE_POLICY, 'tenant_id = $1', [tenantId]);
  if (!row) return { tenantId, custom: false, ...DEFAULT_FILE_POLICY };
  return { tenantId, custom: true, maxSize: row.maxSize, allowedTypes: row.allowedTypes };
}

/** Sets the upload policy of the tenant the request names (one the caller sees), else of the caller's own. */
export class SetFilePolicyCmd implements Command<TenantFilePolicyEntity> {
  readonly name = 'SetFilePolicy';

  constructor(private readonly input: FilePolicy & { readonly tenantId?: string }) {}

  async execute(context: CommandContext): Promise<TenantFilePolicyEntity> {
    const { maxSize } = this.input;
    const allowedTypes = [...new Set(this.input.allowedTypes)];
    checkPolicy(maxSize, allowedTypes);
    const tenantId = (await targetTenant(context, this.input.tenantId)).id;
    const [current] = await context.session.select(TENANT_FILE_POLICY, 'tenant_id = $1', [tenantId]);
    const updated = { updated: context.now(), updatedBy: context.actor?.userId ?? null };
    const audit = (detail: unknown) => context.audit({ action: 'file-policy.update', objectType: 'tenant', objectId: tenantId, tenantId, detail });
    if (!current) {
      audit({ maxSize, allowedTypes });
      return context.session.insert(TENANT_FILE_POLICY, { id: context.newId(), rev: 1, tenantId, maxSize, allowedTypes, ...updated });
    }
    const changed = applyChanges(current, { maxSize, ...(sameTypes(current.allowedTypes, allowedTypes) ? {} : { allowedTypes }) });
    if (Object.keys(changed).length > 0) {
      Object.assign(current, updated);
      audit(changed);
    }
    return current;
  }
}

function checkPolicy(maxSize: number, allowedTypes: readonly string[]): void {
  if (!Number.isInteger(maxSize) || maxSize < 1 || maxSize > MAX_FILE_SIZE) {
    throw new BadUserRequestError(`单个文件大小上限须在 1 字节到 ${MAX_FILE_SIZE / MEGABYTE} MB 之间 (maxSize must be from 1 to ${MAX_FILE_SIZE} bytes, got ${maxSize})`);
  }
  const unknown = allowedTypes.filter((type) => !RECOGNISED_TYPES.has(type));
  if (unknown.length > 0) {
    throw new BadUserRequestError(`无法按内容识别的文件类型：${unknown.join(', ')} (these types cannot be recognised by content and cannot be allowed: ${unknown.join(', ')})`);
  }
}

function sameTypes(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((type) => b.includes(type));
}
