import type { Logger } from '../logging/index.js';
import type { ProcessEngine } from '../services/index.js';
import { Authentication, ensurePlatformAdmin, type AuthenticationSettings } from './authentication/index.js';
import { Principals } from './principals.js';
import { syncPermissionCatalogue } from './roles/index.js';

export interface IdentityOptions {
  /** the platform administrator's password; undefined: generated at first start and announced */
  readonly adminPassword: string | undefined;
  /** shows a generated password to the person starting the platform; never a log */
  readonly announce: (message: string) => void;
  readonly logger: Logger;
  readonly settings?: AuthenticationSettings;
}

/** What the HTTP server needs of identity: authentication, and the principals it shares with the admin routes. */
export interface Identity {
  readonly authentication: Authentication;
  readonly principals: Principals;
}

/**
 * Makes identity ready on an open engine, as every start does: the root tenant and the platform
 * administrator exist, the permission catalogue matches the code, and one principal cache serves
 * the authenticator and the admin routes (which clear it when they change the organisation).
 */
export async function startIdentity(engine: ProcessEngine, options: IdentityOptions): Promise<Identity> {
  await ensurePlatformAdmin(engine, options.adminPassword, options.announce, options.settings?.passwordPolicy);
  await syncPermissionCatalogue(engine.commandExecutor);
  const principals = new Principals(engine.database, engine.environment.clock);
  return { principals, authentication: new Authentication(engine, principals, options.logger, options.settings) };
}
