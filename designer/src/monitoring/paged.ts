import { ref, type Ref } from 'vue';
import type { Page, PageQuery } from './api.js';

export interface PagedQuery<T> {
  items: Ref<T[]>;
  total: Ref<number>;
  /** 1-based, as el-pagination counts */
  page: Ref<number>;
  pageSize: Ref<number>;
  loading: Ref<boolean>;
  error: Ref<string | null>;
  /** reads the current page again */
  load(): Promise<void>;
  /** back to the first page with the current filter */
  search(): Promise<void>;
}

/** A table paged on the server: `fetch` gets `firstResult`/`maxResults` and answers the page and the total. */
export function usePagedQuery<T>(fetch: (page: PageQuery) => Promise<Page<T>>, options: { pageSize?: number; immediate?: boolean } = {}): PagedQuery<T> {
  const items = ref<T[]>([]) as Ref<T[]>;
  const total = ref(0);
  const page = ref(1);
  const pageSize = ref(options.pageSize ?? 20);
  const loading = ref(false);
  const error = ref<string | null>(null);
  let generation = 0;

  async function load(): Promise<void> {
    const mine = ++generation;
    loading.value = true;
    error.value = null;
    try {
      const answer = await fetch({ firstResult: (page.value - 1) * pageSize.value, maxResults: pageSize.value });
      if (mine !== generation) return;
      items.value = answer.items;
      total.value = answer.total;
    } catch (failure) {
      if (mine === generation) error.value = (failure as Error).message;
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  async function search(): Promise<void> {
    page.value = 1;
    await load();
  }

  if (options.immediate !== false) void load();
  return { items, total, page, pageSize, loading, error, load, search };
}
