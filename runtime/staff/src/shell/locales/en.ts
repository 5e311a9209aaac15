/** The staff shell's and shared components' texts in English; the twin of zh-CN.ts. */
export default {
  app: { name: 'Yiwang', subtitle: 'Workbench', title: 'Yiwang · Workbench' },
  layout: { menu: 'Menu', messages: 'Messages', more: 'More' },
  errors: { forbidden: 'You may not open this page', notFound: 'Page not found', backHome: 'Back to the inbox' },
  common: {
    ok: 'OK', cancel: 'Cancel', search: 'Search', reset: 'Reset', refresh: 'Refresh', total: '{total} in all', empty: 'Nothing here', loading: 'Loading…',
    none: 'None', back: 'Back', open: 'Open', comment: 'Comment', attachments: 'Attachments', submit: 'Submit', close: 'Close',
  },
  light: { green: 'On time', yellow: 'Due soon', red: 'Overdue', none: 'No time limit', due: 'Due {due}', noDue: 'No time limit' },
  files: {
    add: 'Add files', camera: 'Take photo', uploading: 'Uploading {percent}%', remove: 'Remove', failed: 'Upload failed', hint: 'Images, PDF, Office documents, up to {size} each',
  },
  user: { label: 'User account', placeholder: 'Type a name or account', typeId: "Type the user's account (e.g. lz.handler): you may not search people", required: 'Choose a user' },
  state: { ACTIVE: 'In progress', COMPLETED: 'Closed', EXTERNALLY_TERMINATED: 'Terminated', INTERNALLY_TERMINATED: 'Terminated', SUSPENDED: 'Suspended' },
};
