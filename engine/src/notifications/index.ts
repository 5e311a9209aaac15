export * from './notify.js';
export * from './recipients.js';
export * from './channels.js';
export * from './message-centre.js';
