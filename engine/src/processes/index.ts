export {
  countDrafts,
  DeleteDraftCmd,
  DRAFT_NOUN,
  getDraft,
  listDrafts,
  SaveDraftCmd,
  type DraftInput,
  type DraftQuery,
  type DraftSortKey,
  type DraftSummary,
  type DraftView,
} from './drafts.js';
