import type { CommandContext } from '../../command/index.js';
import type { VariableResolver } from '../../expression/index.js';
import {
  HI_VARIABLE,
  HI_VARIABLE_UPDATE,
  placeholders,
  VARIABLE,
  type ExecutionEntity,
  type StoredValue,
  type VariableEntity,
} from '../../persistence/index.js';
import { fromStoredValue, toStoredValue, toTypedValue, type TypedValue } from '../../variables/index.js';

export interface SetVariableOptions {
  /** set on the given execution itself instead of the scope that already holds the name */
  readonly local?: boolean;
  readonly activityInstanceId?: string | null;
}

/**
 * The variables of one process instance, loaded in one query the first time a command needs
 * them. Reads walk from an execution up to the root, the nearest scope winning; a non-local write
 * goes to the nearest scope that already has the name, otherwise to the process instance.
 */
export class VariableStore {
  private byExecution: Map<string, Map<string, VariableEntity>> | null;
  private loading: Promise<void> | null = null;
  /** executions whose variables went away before anything was loaded (see deleteAllOf) */
  private readonly droppedUnloaded = new Set<string>();

  constructor(
    private readonly context: CommandContext,
    private readonly root: ExecutionEntity,
    isNewInstance: boolean,
  ) {
    this.byExecution = isNewInstance ? new Map() : null;
  }

  async ensureLoaded(): Promise<void> {
    if (this.byExecution) return;
    this.loading ??= this.context.session.select(VARIABLE, 'process_instance_id = $1', [this.root.id]).then((rows) => this.adopt(rows));
    await this.loading;
  }

  /** The instance's variable rows, loaded by the caller (with the executions, in one round trip). */
  adopt(rows: readonly VariableEntity[]): void {
    if (this.byExecution) return;
    this.byExecution = new Map();
    for (const row of rows) {
      // an execution reused after its scope ended (a sub-process token moving on) must not see its old locals
      if (this.droppedUnloaded.has(row.executionId)) this.context.session.delete(VARIABLE, row);
      else this.localOf(row.executionId).set(row.name, row);
    }
    this.droppedUnloaded.clear();
  }

  /** Synchronous view for expressions; `ensureLoaded` must have run. */
  resolver(chain: readonly ExecutionEntity[], builtIns: Record<string, unknown>): VariableResolver {
    return {
      has: (name) => this.find(chain, name) !== undefined || name in builtIns,
      get: (name) => {
        const entity = this.find(chain, name);
        return entity ? fromStoredValue(entity).value : builtIns[name];
      },
      names: () => new Set([...Object.keys(builtIns), ...chain.flatMap((e) => [...this.localOf(e.id).keys()])]),
    };
  }

  /** Every visible variable as typed values, the nearest scope winning. */
  async visible(chain: readonly ExecutionEntity[]): Promise<Map<string, TypedValue>> {
    await this.ensureLoaded();
    const result = new Map<string, TypedValue>();
    for (const execution of chain) {
      for (const [name, entity] of this.localOf(execution.id)) if (!result.has(name)) result.set(name, fromStoredValue(entity));
    }
    return result;
  }

  async set(chain: readonly ExecutionEntity[], name: string, input: unknown, options: SetVariableOptions = {}): Promise<void> {
    const typed = toTypedValue(name, input);
    await this.ensureLoaded();
    const target = options.local ? chain[0] : (chain.find((e) => this.localOf(e.id).has(name)) ?? chain[chain.length - 1]);
    if (!target) throw new Error(`variable '${name}' has no execution to live on`);
    const existing = this.localOf(target.id).get(name);
    const stored = toStoredValue(typed);
    if (existing) this.update(existing, stored, options.activityInstanceId ?? null);
    else this.create(target, name, stored, options.activityInstanceId ?? null);
  }

  async remove(chain: readonly ExecutionEntity[], name: string): Promise<boolean> {
    await this.ensureLoaded();
    const owner = chain.find((e) => this.localOf(e.id).has(name));
    const entity = owner ? this.localOf(owner.id).get(name) : undefined;
    if (!owner || !entity) return false;
    this.context.session.delete(VARIABLE, entity);
    this.localOf(owner.id).delete(name);
    this.context.session.updateById(HI_VARIABLE, entity.id, { state: 'DELETED' });
    return true;
  }

  /**
   * Drops the variables that live on an execution that is going away, or whose scope ends while
   * the execution moves on; history keeps them. When nothing is loaded yet, loading is saved: the
   * set-based delete is issued at flush, unless the command loads the variables after all, in
   * which case the rows are deleted as they load. Issued right away, the delete would run after
   * the command's inserts and remove variables the moving execution has created since.
   */
  deleteAllOf(executionId: string): void {
    if (!this.byExecution) {
      if (this.droppedUnloaded.size === 0) this.context.beforeFlush(async () => this.deleteDroppedUnloaded());
      this.droppedUnloaded.add(executionId);
      return;
    }
    for (const entity of this.localOf(executionId).values()) this.context.session.delete(VARIABLE, entity);
    this.byExecution.delete(executionId);
  }

  /** Still unloaded at flush: the command created no variable, so a set-based delete touches only old rows. */
  private deleteDroppedUnloaded(): void {
    const executionIds = [...this.droppedUnloaded];
    if (executionIds.length === 0) return;
    this.context.session.addStatement(`DELETE FROM variable WHERE execution_id IN (${placeholders(executionIds.length)})`, executionIds);
    this.droppedUnloaded.clear();
  }

  private find(chain: readonly ExecutionEntity[], name: string): VariableEntity | undefined {
    for (const execution of chain) {
      const entity = this.byExecution?.get(execution.id)?.get(name);
      if (entity) return entity;
    }
    return undefined;
  }

  private localOf(executionId: string): Map<string, VariableEntity> {
    if (!this.byExecution) throw new Error('variables used before they were loaded');
    let local = this.byExecution.get(executionId);
    if (!local) {
      local = new Map();
      this.byExecution.set(executionId, local);
    }
    return local;
  }

  private create(target: ExecutionEntity, name: string, stored: StoredValue, activityInstanceId: string | null): void {
    const entity = this.context.session.insert(VARIABLE, {
      id: this.context.newId(),
      rev: 1,
      name,
      ...stored,
      executionId: target.id,
      processInstanceId: this.root.id,
      taskId: null,
      tenantId: this.root.tenantId,
    });
    this.localOf(target.id).set(name, entity);
    this.context.session.insert(HI_VARIABLE, {
      id: entity.id,
      name,
      ...stored,
      state: 'CREATED',
      processInstanceId: this.root.id,
      executionId: target.id,
      taskId: null,
      createTime: this.context.now(),
      tenantId: this.root.tenantId,
    });
    this.recordUpdate(entity, 1, activityInstanceId);
  }

  /** Each update raises the row's revision, so two updates in one command are numbered apart. */
  private update(entity: VariableEntity, stored: StoredValue, activityInstanceId: string | null): void {
    Object.assign(entity, stored);
    entity.rev += 1;
    this.context.session.updateById(HI_VARIABLE, entity.id, { ...stored });
    this.recordUpdate(entity, entity.rev, activityInstanceId);
  }

  private recordUpdate(entity: VariableEntity, revision: number, activityInstanceId: string | null): void {
    this.context.session.insert(HI_VARIABLE_UPDATE, {
      id: this.context.newId(),
      variableId: entity.id,
      name: entity.name,
      type: entity.type,
      textValue: entity.textValue,
      longValue: entity.longValue,
      doubleValue: entity.doubleValue,
      bytesValue: entity.bytesValue,
      valueInfo: entity.valueInfo,
      revision,
      processInstanceId: this.root.id,
      executionId: entity.executionId,
      taskId: entity.taskId,
      activityInstanceId,
      time: this.context.now(),
      tenantId: this.root.tenantId,
    });
  }
}

/**
 * Variables visible from an execution, the nearest scope winning, computed from rows already
 * loaded (queries and fetch-and-lock load many instances at once and have no VariableStore).
 */
export function visibleFrom(
  start: ExecutionEntity | undefined,
  executionsById: ReadonlyMap<string, ExecutionEntity>,
  variables: readonly VariableEntity[],
): Map<string, TypedValue> {
  const byExecution = new Map<string, VariableEntity[]>();
  for (const variable of variables) byExecution.set(variable.executionId, [...(byExecution.get(variable.executionId) ?? []), variable]);
  const visible = new Map<string, TypedValue>();
  for (let current = start; current; current = current.parentId ? executionsById.get(current.parentId) : undefined) {
    for (const variable of byExecution.get(current.id) ?? []) if (!visible.has(variable.name)) visible.set(variable.name, fromStoredValue(variable));
  }
  return visible;
}
