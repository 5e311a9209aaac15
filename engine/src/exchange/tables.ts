import { defineTable } from '../persistence/table.js';

/** A task an exchange partner assigned: the partner's id, and the case it started in the tenant. */
export interface ExchangeAssignmentEntity {
  id: string;
  rev: number;
  tenantId: string;
  externalId: string;
  processInstanceId: string;
  receivedBy: string | null;
  received: Date;
}
export const EXCHANGE_ASSIGNMENT = defineTable<ExchangeAssignmentEntity>('exchange_assignment', {
  id: 'string', rev: 'int', tenantId: 'string', externalId: 'string', processInstanceId: 'string', receivedBy: 'string', received: 'date',
});
