import { parseBpmn } from '../bpmn/parse/index.js';
import type { Command, CommandContext } from '../command/index.js';
import { BadUserRequestError, ConflictError } from '../errors/index.js';
import { notFound, type Noun } from '../identity/organisation/rules.js';
import { PROCESS_DRAFT, type DbSession, type ProcessDraftEntity } from '../persistence/index.js';
import { Filter, orderAndPage, type Page, type Sorting } from '../services/query.js';

export const DRAFT_NOUN: Noun = { zh: '流程草稿', en: 'process draft' };

export interface DraftInput {
  readonly name?: string | null;
  /** the BPMN XML: it must parse; lint problems are allowed, a draft is unfinished */
  readonly content: string;
  /** the revision the client loaded; absent: the client means a new draft */
  readonly rev?: number;
}

/** A draft as lists show it, without its XML. */
export interface DraftSummary {
  readonly id: string;
  readonly rev: number;
  readonly tenantId: string | null;
  readonly key: string;
  readonly name: string | null;
  readonly updated: Date;
  readonly updatedBy: string | null;
}

export interface DraftView extends DraftSummary {
  readonly content: string;
}

export type DraftSortKey = 'key' | 'name' | 'updated';
const DRAFT_SORT: Record<DraftSortKey, string> = { key: 'key_', name: 'name', updated: 'updated' };

export interface DraftQuery extends Page, Sorting<DraftSortKey> {
  readonly key?: string;
  /** a LIKE pattern, on the name */
  readonly nameLike?: string;
}

/**
 * Saves a draft of the process `key` in the caller's tenant: creates it, or replaces the one
 * there when the client sends the revision it loaded. Someone who saved in between makes it a 409
 * naming them, so nobody overwrites a colleague's work unknowingly.
 */
export class SaveDraftCmd implements Command<ProcessDraftEntity> {
  readonly name = 'SaveProcessDraft';

  constructor(
    private readonly key: string,
    private readonly input: DraftInput,
  ) {}

  async execute(context: CommandContext): Promise<ProcessDraftEntity> {
    const { content, rev } = this.input;
    await checkParses(this.key, content);
    const tenantId = context.actor?.tenantId ?? null;
    const existing = await findDraft(context.session, this.key, tenantId);
    const name = this.input.name === undefined ? (existing?.name ?? null) : this.input.name;
    if (existing && rev !== existing.rev) {
      const when = existing.updated.toISOString();
      throw new ConflictError(
        `流程草稿 ${this.key} 已被 ${existing.updatedBy ?? '?'} 于 ${when} 保存，请重新加载 (the draft '${this.key}' was saved by ${existing.updatedBy ?? 'someone'} at ${when} after you loaded it${rev === undefined ? '' : ` (revision ${existing.rev}, you sent ${rev})`}; reload it first)`,
      );
    }
    if (!existing && rev !== undefined) throw notFound(DRAFT_NOUN, this.key);
    const updated = context.now();
    const updatedBy = context.actor?.userId ?? null;
    let draft: ProcessDraftEntity;
    if (existing) {
      Object.assign(existing, { name, content, updated, updatedBy });
      draft = existing;
    } else {
      draft = context.session.insert(PROCESS_DRAFT, { id: context.newId(), rev: 1, tenantId, key: this.key, name, content, updated, updatedBy });
    }
    context.audit({ action: existing ? 'process-draft.update' : 'process-draft.create', objectType: 'process_draft', objectId: draft.id, detail: { key: this.key, name } });
    return draft;
  }
}

/** Removes a draft (what was deployed from it stays). */
export class DeleteDraftCmd implements Command<void> {
  readonly name = 'DeleteProcessDraft';

  constructor(private readonly key: string) {}

  async execute(context: CommandContext): Promise<void> {
    const draft = await requireDraft(context.session, this.key, context.actor?.tenantId ?? null);
    context.session.delete(PROCESS_DRAFT, draft);
    context.audit({ action: 'process-draft.delete', objectType: 'process_draft', objectId: draft.id, detail: { key: draft.key, name: draft.name } });
  }
}

/** The drafts the session sees, newest first by default. */
export async function listDrafts(session: DbSession, query: DraftQuery): Promise<DraftSummary[]> {
  const filter = draftFilter(query);
  const suffix = orderAndPage({ sortBy: query.sortBy ?? 'updated', sortOrder: query.sortOrder ?? (query.sortBy ? 'asc' : 'desc') }, DRAFT_SORT, 'updated', query);
  const rows = await session.select(PROCESS_DRAFT, filter.where, filter.bindings, suffix);
  return rows.map(summary);
}

export function countDrafts(session: DbSession, query: DraftQuery): Promise<number> {
  const filter = draftFilter(query);
  return session.count(PROCESS_DRAFT, filter.where, filter.bindings);
}

/** The draft of the key in the tenant (the caller's own: drafts of a tenant they oversee are listed, but each tenant keeps its own of a key). */
export async function getDraft(session: DbSession, key: string, tenantId: string | null): Promise<DraftView> {
  const draft = await requireDraft(session, key, tenantId);
  return { ...summary(draft), content: draft.content };
}

function draftFilter(query: DraftQuery): Filter {
  return new Filter().equals('key_', query.key).like('name', query.nameLike);
}

function summary(draft: ProcessDraftEntity): DraftSummary {
  const { id, rev, tenantId, key, name, updated, updatedBy } = draft;
  return { id, rev, tenantId, key, name, updated, updatedBy };
}

/** The tenant's draft of the key, if the session sees it (MariaDB compares ignoring case, hence the exact check). */
async function findDraft(session: DbSession, key: string, tenantId: string | null): Promise<ProcessDraftEntity | null> {
  const rows = await session.select(PROCESS_DRAFT, tenantId === null ? 'key_ = $1 AND tenant_id IS NULL' : 'key_ = $1 AND tenant_id = $2', tenantId === null ? [key] : [key, tenantId]);
  return rows.find((draft) => draft.key === key) ?? null;
}

async function requireDraft(session: DbSession, key: string, tenantId: string | null): Promise<ProcessDraftEntity> {
  const draft = await findDraft(session, key, tenantId);
  if (!draft) throw notFound(DRAFT_NOUN, key);
  return draft;
}

/** Malformed XML is refused with the parser's message; lint findings are not: a draft is unfinished. */
async function checkParses(key: string, content: string): Promise<void> {
  const parsed = await parseBpmn(`${key}.bpmn`, content);
  if (parsed.definitions === null) {
    const message = parsed.errors.map((problem) => problem.message).join('; ');
    throw new BadUserRequestError(`流程草稿 ${key} 不是有效的 BPMN XML (the draft '${key}' is not BPMN XML: ${message})`);
  }
  const roots = (parsed.definitions.get('rootElements') ?? []) as { $type: string; id?: string }[];
  if (!roots.some((element) => element.$type === 'bpmn:Process' && element.id === key)) {
    throw new BadUserRequestError(`流程草稿中没有 id 为 ${key} 的流程 (the draft's XML has no process with the id '${key}')`);
  }
}
