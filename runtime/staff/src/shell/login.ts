/** The login route's page: the shared one (@yiwang/web-kit), in its own chunk. */
export { LoginPage as default } from '@yiwang/web-kit/session-ui';
