import type { RouteRecordRaw } from 'vue-router';
import type { DomainMessages } from '@yiwang/web-kit/i18n';
import * as approvals from '../approvals/index.js';
import * as cases from '../cases/index.js';
import * as inbox from '../inbox/index.js';
import * as messages from '../messages/index.js';
import * as start from '../start/index.js';
import * as tasks from '../tasks/index.js';

export interface Domain {
  readonly routes: RouteRecordRaw[];
  readonly messages?: DomainMessages;
}

/** The staff app's domains: each folder's index.ts declares its routes and texts. */
export const DOMAINS: readonly Domain[] = [inbox, tasks, start, cases, approvals, messages];
