import type { CommandContext } from '../../command/index.js';
import { BadUserRequestError } from '../../errors/index.js';
import { TENANT } from '../../persistence/index.js';

/**
 * Serialises deployments across engine processes, as Camunda's deployment lock does; saving a
 * form version takes it too, so versions of a key are numbered one after another.
 */
export async function lockDeployments(context: CommandContext): Promise<void> {
  await context.session.sql.execute("UPDATE engine_property SET rev = rev + 1 WHERE name = 'deployment.lock'");
}

/**
 * The tenant a deployment or a saved form belongs to. Engine code says where. A person acts for
 * a tenant they can see, by default their own; someone who sees every tenant (the platform
 * administrator) makes shared definitions and forms by default, which every tenant may use.
 */
export async function ownerTenant(context: CommandContext, named: string | null, what: string): Promise<string | null> {
  const { actor } = context;
  if (!actor) return named;
  if (named === null) return actor.scope === null ? null : actor.tenantId;
  if (!(await context.session.findById(TENANT, named))) {
    throw new BadUserRequestError(`Cannot ${what} for tenant '${named}': there is no such tenant, or ${actor.userId} cannot see it`);
  }
  return named;
}
