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
  /** the channel it came by: `public` for the /public portal, else the API client's code */
  channel: string | null;
  /** the report this one repeats, merged into it by the intake clerk (its case ended `merged`) */
  mergedInto: string | null;
  mergedAt: Date | null;
}
export const PUBLIC_REPORT = defineTable<PublicReportEntity>('public_report', {
  id: 'string', rev: 'int', tenantId: 'string', trackingCode: 'string', processInstanceId: 'string', category: 'string', categoryLabel: 'string',
  description: 'string', latitude: 'double', longitude: 'double', clientAddress: 'string', reporterPhone: 'string', submittedAt: 'date', ratingScore: 'string', ratingComment: 'string', ratedAt: 'date',
  channel: 'string', mergedInto: 'string', mergedAt: 'date',
});

/**
 * An API client of the tenant's public channel (a WeChat official account, the citizen app): its
 * channel code, the API key it calls with, and its own limits (it speaks for many citizens from
 * one server, so the portal's per-address limits do not fit it).
 */
export interface PublicChannelClientEntity {
  id: string;
  rev: number;
  tenantId: string;
  code: string;
  name: string;
  apiTokenId: string;
  reportsPerHour: number;
  lookupsPerMinute: number;
  created: Date;
  createdBy: string | null;
  revoked: Date | null;
}
export const PUBLIC_CHANNEL_CLIENT = defineTable<PublicChannelClientEntity>('public_channel_client', {
  id: 'string', rev: 'int', tenantId: 'string', code: 'string', name: 'string', apiTokenId: 'string', reportsPerHour: 'int', lookupsPerMinute: 'int',
  created: 'date', createdBy: 'string', revoked: 'date',
});

/** One counted request of a client (a status lookup, a rating). */
export interface PublicRateEventEntity {
  id: string;
  bucket: string;
  time: Date;
}
export const PUBLIC_RATE_EVENT = defineTable<PublicRateEventEntity>('public_rate_event', { id: 'string', bucket: 'string', time: 'date' });
