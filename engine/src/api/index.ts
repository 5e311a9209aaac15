export { startServer, type PlatformServer, type ServerOptions } from './server.js';
export { AdminAccount, engineRestRouter, type Authenticator } from './engine-rest/index.js';
