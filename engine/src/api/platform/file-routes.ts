import type { Context } from 'koa';
import type { FileStorageConfig } from '../../config/index.js';
import { DEFAULT_FILE_STORAGE, FileService, MAX_FILE_SIZE, MAX_FILES_PER_UPLOAD, TEXT_PLAIN, type TenantFilePolicy } from '../../files/index.js';
import type { Logger } from '../../logging/index.js';
import type { StoredFileEntity } from '../../persistence/index.js';
import type { ProcessEngine } from '../../services/index.js';
import { contentDisposition } from '../engine-rest/variable-data.js';
import { DATE_TIME, TENANT_ID } from './admin-schemas.js';
import type { ApiRoutes, JsonSchema } from './routes.js';

export interface FileRouteDeps {
  readonly engine: ProcessEngine;
  readonly logger: Logger;
  /** where uploads go; the server passes the configuration (`YIWANG_FILE_STORAGE`, `YIWANG_FILE_DIR`) */
  readonly files?: FileStorageConfig;
}


const FILE: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, tenantId: { type: 'string' }, name: { type: 'string' },
    contentType: { type: 'string', description: 'recognised from the content' }, size: { type: 'integer' }, sha256: { type: 'string' },
    thumbnail: { type: 'boolean', description: 'an image with a thumbnail at /files/{id}/thumbnail' }, created: DATE_TIME, createdBy: { type: 'string', nullable: true },
  },
};
const POLICY: JsonSchema = {
  type: 'object',
  properties: {
    tenantId: { type: 'string' },
    custom: { type: 'boolean', description: "false: the tenant takes the platform's defaults" },
    maxSize: { type: 'integer', description: 'bytes per file' },
    allowedTypes: { type: 'array', items: { type: 'string' } },
  },
};
const ID: JsonSchema = { type: 'string', maxLength: 64 };

/** Images open in the browser; anything else is downloaded. */
const INLINE_TYPES = /^image\//;
/** Uploaded content must never run as a page of this site, whatever a browser makes of it. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/**
 * `/api/files`: uploads (case photos, attachments) checked by their content against the tenant's
 * policy, their content, thumbnails and descriptions; `/api/admin/file-policy`: a tenant's upload
 * limits. Files are read through the caller's scope: another tenant's file is a 404.
 */
export function registerFileRoutes(routes: ApiRoutes, deps: FileRouteDeps): void {
  const files = new FileService(deps.engine, deps.files ?? DEFAULT_FILE_STORAGE, deps.logger);
  const tag = 'files';
  routes.add({
    method: 'post', path: '/files', tag, permission: 'file:write', status: 201,
    summary: `upload files as multipart/form-data (at most ${MAX_FILES_PER_UPLOAD} per request; each within the tenant's size limit and of an allowed type, recognised from the content): all or none are stored`,
    response: { type: 'array', items: FILE },
    handle: (call) => files.upload(call, call.ctx.req),
  });
  routes.add({
    method: 'get', path: '/files/policy', tag, permission: 'file:write', summary: "the upload limits of the caller's tenant (for file pickers)",
    response: POLICY,
    handle: (call) => files.policy(call.principal),
  });
  routes.add({
    method: 'get', path: '/files/{id}', tag, permission: 'file:read', summary: 'download a file (images inline, other files as attachments)',
    handle: async (call) => {
      const { file, content } = await files.content(call.principal, call.params.id as string);
      sendContent(call.ctx, file, file.contentType, file.size, content, INLINE_TYPES.test(file.contentType) ? 'inline' : 'attachment');
    },
  });
  routes.add({
    method: 'get', path: '/files/{id}/thumbnail', tag, permission: 'file:read', summary: "an image's thumbnail (WebP, at most 320 px, turned upright)",
    handle: async (call) => {
      const { file, image } = await files.thumbnail(call.principal, call.params.id as string);
      sendContent(call.ctx, file, 'image/webp', image.length, image, 'inline');
    },
  });
  routes.add({
    method: 'get', path: '/files/{id}/meta', tag, permission: 'file:read', summary: 'describe a file',
    response: FILE,
    handle: (call) => files.meta(call.principal, call.params.id as string),
  });
  routes.add({
    method: 'delete', path: '/files/{id}', tag, permission: 'file:read', status: 204,
    summary: "delete a file no process variable refers to: one's own upload, or any with `file:write`",
    handle: (call) => files.delete(call, call.params.id as string),
  });
  routes.add<{ tenantId?: string }, unknown>({
    method: 'get', path: '/admin/file-policy', tag, permission: 'tenant:read', summary: "read a tenant's upload limits (the caller's tenant by default)",
    query: { type: 'object', properties: { tenantId: TENANT_ID } },
    response: POLICY,
    handle: (call) => files.policy(call.principal, call.query.tenantId),
  });
  routes.add<unknown, { tenantId?: string; maxSize: number; allowedTypes: string[] }>({
    method: 'put', path: '/admin/file-policy', tag, permission: 'tenant:write', summary: "set a tenant's upload limits (the caller's tenant by default)",
    body: {
      type: 'object', required: ['maxSize', 'allowedTypes'], additionalProperties: false,
      properties: {
        tenantId: TENANT_ID,
        maxSize: { type: 'integer', minimum: 1, maximum: MAX_FILE_SIZE, description: 'bytes per file' },
        allowedTypes: { type: 'array', maxItems: 200, items: { ...ID, maxLength: 128 }, description: `MIME types the server recognises by content, e.g. image/jpeg; ${TEXT_PLAIN} for UTF-8 text` },
      },
    },
    response: POLICY,
    handle: (call): Promise<TenantFilePolicy> => files.setPolicy(call, call.body),
  });
}

/**
 * Content with the headers every download carries: its type (text as UTF-8), the file name in
 * UTF-8, `nosniff` (a browser must not take an image for a page) and a sandboxing policy.
 */
function sendContent(ctx: Context, file: StoredFileEntity, contentType: string, size: number, body: Buffer | NodeJS.ReadableStream, disposition: 'inline' | 'attachment'): void {
  ctx.status = 200;
  ctx.set('Content-Type', contentType === TEXT_PLAIN ? `${TEXT_PLAIN}; charset=utf-8` : contentType);
  ctx.set('Content-Disposition', contentDisposition(file.name, disposition));
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  ctx.set('Cache-Control', 'private, max-age=86400');
  ctx.body = body;
  // set after the body: koa drops the length of a stream body
  ctx.length = size;
}
