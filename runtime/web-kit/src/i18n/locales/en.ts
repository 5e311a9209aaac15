import type zhCN from './zh-CN.js';

/** The shared texts in English; typed by the Chinese ones so no key is missing. */
const en: typeof zhCN = {
  login: {
    title: 'Sign in',
    username: 'User name',
    password: 'Password',
    submit: 'Sign in',
    usernameRequired: 'Enter your user name',
    passwordRequired: 'Enter your password',
    locked: 'The account is locked',
    failed: 'Sign-in failed',
    mustChange: 'Your password was set for you or has expired: choose a new one first',
  },
  password: {
    title: 'Change password',
    current: 'Current password',
    new: 'New password',
    confirm: 'Confirm the new password',
    submit: 'Change password',
    cancel: 'Cancel',
    currentRequired: 'Enter your current password',
    newRequired: 'Enter a new password',
    confirmMismatch: 'The two new passwords differ',
    sameAsCurrent: 'The new password must differ from the current one',
    changed: 'Password changed',
  },
  session: {
    changePassword: 'Change password',
    signOut: 'Sign out',
  },
  errors: {
    network: 'The server cannot be reached',
    sessionExpired: 'Your session has ended: sign in again',
  },
};

export default en;
