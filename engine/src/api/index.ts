export { startServer, type PlatformServer, type ServerOptions } from './server.js';
