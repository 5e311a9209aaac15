/** The portal config of the tenant in the link, loaded once per tenant and shared by the header and the report page. */
import { ref, shallowRef } from 'vue';
import { getPortal, PublicApiError, type CategoryNode, type PortalConfig } from './api.js';
import { currentLocale } from './i18n.js';

export const portal = shallowRef<PortalConfig | null>(null);
export const portalError = shallowRef<PublicApiError | null>(null);
export const portalLoading = ref(false);
let loadedFor: string | null | undefined;

export async function loadPortal(tenant: string | null, force = false): Promise<void> {
  if (!force && loadedFor === tenant && (portal.value || portalLoading.value)) return;
  loadedFor = tenant;
  portalLoading.value = true;
  portalError.value = null;
  try {
    portal.value = await getPortal(tenant);
  } catch (error) {
    portal.value = null;
    portalError.value = error instanceof PublicApiError ? error : new PublicApiError(0, 'NetworkError', String(error));
  } finally {
    portalLoading.value = false;
  }
}

/** A category's label in the current language (its Chinese one when it has no English). */
export function categoryLabel(node: Pick<CategoryNode, 'label' | 'labelEn'>): string {
  return currentLocale.value === 'en' && node.labelEn ? node.labelEn : node.label;
}

/** The category of this code in the portal's tree, if the portal is loaded and has it. */
export function findCategory(code: string, nodes: readonly CategoryNode[] = portal.value?.categories ?? []): CategoryNode | null {
  for (const node of nodes) {
    if (node.code === code) return node;
    const found = findCategory(code, node.children);
    if (found) return found;
  }
  return null;
}
