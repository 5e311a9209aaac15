export { APP_BUILDS, type WebAppName } from './apps.js';
export { startServer, type PlatformServer, type ServerOptions } from './server.js';
export { engineRestRouter } from './engine-rest/index.js';
export { identifyCaller, type RequestAuthenticator } from './authentication.js';
