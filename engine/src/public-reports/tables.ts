import { defineTable } from '../persistence/table.js';

/** A tenant's public reporting channel: which process a citizen's report starts. */
export interface PublicChannelEntity {
  id: string;
  rev: number;
  tenantId: string;
  processKey: string;
  categoryDictionary: string;
  enabled: boolean;
  updated: Date;
  updatedBy: string | null;
}
export const PUBLIC_CHANNEL = defineTable<PublicChannelEntity>('public_channel', {
  id: 'string', rev: 'int', tenantId: 'string', processKey: 'string', categoryDictionary: 'string', enabled: 'bool', updated: 'date', updatedBy: 'string',
});

export const RATING_SCORES = ['satisfied', 'basically-satisfied', 'dissatisfied'] as const;
export type RatingScore = (typeof RATING_SCORES)[number];

/** A citizen's report: the case it started, how it is followed (tracking code) and rated. */
export interface PublicReportEntity {
  id: string;
  rev: number;
  tenantId: string;
  trackingCode: string;
  processInstanceId: string;
  category: string;
  categoryLabel: string | null;
  description: string;
  /** where the citizen said it is (both or neither): the duplicate check's point */
  latitude: number | null;
  longitude: number | null;
  clientAddress: string | null;
  reporterPhone: string | null;
  submittedAt: Date;
  ratingScore: RatingScore | null;
  ratingComment: string | null;
  ratedAt: Date | null;
}
export const PUBLIC_REPORT = defineTable<PublicReportEntity>('public_report', {
  id: 'string', rev: 'int', tenantId: 'string', trackingCode: 'string', processInstanceId: 'string', category: 'string', categoryLabel: 'string',
  description: 'string', latitude: 'double', longitude: 'double', clientAddress: 'string', reporterPhone: 'string', submittedAt: 'date', ratingScore: 'string', ratingComment: 'string', ratedAt: 'date',
});

/** One counted request of a client (a status lookup, a rating). */
export interface PublicRateEventEntity {
  id: string;
  bucket: string;
  time: Date;
}
export const PUBLIC_RATE_EVENT = defineTable<PublicRateEventEntity>('public_rate_event', { id: 'string', bucket: 'string', time: 'date' });
