import Router from '@koa/router';
import type { ProcessEngine } from '../services/index.js';

/** `GET /health`: public, for load balancers; 503 while the database does not answer. */
export function healthRouter(engine: ProcessEngine, version: string): Router {
  const router = new Router();
  router.get('/health', async (ctx) => {
    const database = { dialect: engine.database.dialect, reachable: await isReachable(engine) };
    ctx.status = database.reachable ? 200 : 503;
    ctx.set('Content-Type', 'application/json');
    ctx.body = JSON.stringify({ status: database.reachable ? 'UP' : 'DOWN', version, database });
  });
  return router;
}

async function isReachable(engine: ProcessEngine): Promise<boolean> {
  try {
    await engine.database.read((sql) => sql.select('SELECT 1 AS ok'));
    return true;
  } catch {
    return false;
  }
}
