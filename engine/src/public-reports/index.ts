export { SiteverifyCaptcha, type CaptchaVerifier } from './captcha.js';
export { DEFAULT_CATEGORY_DICTIONARY, PHOTO_TYPES, SetPublicChannelCmd, type CategoryNode, type ChannelInput, type ChannelView, type PhotoPolicy } from './channel.js';
export { clientAddress, type ClientAddress } from './client-address.js';
export {
  CLIENT_CODE_PATTERN, CLIENT_PERMISSION, DEFAULT_CLIENT_LIMITS, PORTAL_CHANNEL, RegisterChannelClientCmd, RevokeChannelClientCmd,
  type ChannelClientInput, type ChannelClientView,
} from './clients.js';
export { DUPLICATE_DISTANCE_METRES, DUPLICATE_WINDOW_MS, haversineMetres, possibleDuplicates, type PossibleDuplicate } from './duplicates.js';
export { CaptchaFailedError, PhotoTooLargeError, RateLimitExceededError, ReportingUnavailableError } from './errors.js';
export { MERGED_END_REASON, MergeReportCmd, duplicateCandidates, type DuplicateCandidate, type DuplicatesView, type MergeInput, type MergeOutcome } from './merge.js';
export { PublicReportService, type Portal, type RegisteredChannelClient } from './public-report-service.js';
export { addressLimits, type ClientLimits } from './rate-limits.js';
export { RATING_COMMENT_MAX_LENGTH, RateReportCmd, type RatingInput, type Satisfaction, type SatisfactionRange } from './rating.js';
export { ADDRESS_MAX_LENGTH, DESCRIPTION_LENGTH, PHONE_PATTERN } from './report-form.js';
export { type Rating, type ReportState, type ReportStatus } from './status.js';
export { SubmitReportCmd, type SubmittedReport } from './submission.js';
export { PUBLIC_CHANNEL, PUBLIC_CHANNEL_CLIENT, PUBLIC_RATE_EVENT, PUBLIC_REPORT, RATING_SCORES, type PublicChannelClientEntity, type PublicChannelEntity, type PublicRateEventEntity, type PublicReportEntity, type RatingScore } from './tables.js';
export { newTrackingCode, TRACKING_CODE_LENGTH } from './tracking-code.js';
