import { useEffect, useRef, useState } from 'preact/hooks';
import type { FieldRenderer } from '../fields/shared.js';
import type { Translate } from '../i18n/translate.js';

type UseService = <T>(name: string) => T;

interface PaletteGroupProps {
  readonly useService: UseService;
  readonly renderers: readonly FieldRenderer[];
}

interface Modeling { addFormField(attrs: { type: string }, parent: unknown, index: number): void }
interface FormEditor { _getState(): { schema: { components: unknown[] } } }

/**
 * The "业务组件" group. form-js's palette has a fixed list of groups, so ours is rendered into the
 * palette's footer slot, with the classes form-js's drag and drop looks for: an entry dragged from
 * a `fjs-palette-fields` container creates a field of its `data-field-type`. Our types stay out
 * of the built-in groups (styles.css). Follows the palette's search box.
 */
export function PaletteGroup({ useService, renderers }: PaletteGroupProps) {
  const t = useService<Translate>('yiwangTranslate');
  const modeling = useService<Modeling>('modeling');
  const formEditor = useService<FormEditor>('formEditor');
  const search = usePaletteSearch();
  const entries = renderers.filter(({ config }) => matchesSearch(search.term, t(config.name), config.type));
  const addAtEnd = (type: string) => {
    const { schema } = formEditor._getState();
    modeling.addFormField({ type }, schema, schema.components.length);
  };
  return (
    <div class="fjs-palette-group yw-palette-group" data-group-id="yiwang" ref={search.ref} hidden={entries.length === 0}>
      <span class="fjs-palette-group-title">{t('Business components')}</span>
      <div class="fjs-palette-fields fjs-drag-container fjs-no-drop">
        {entries.map(({ config: { type, name, icon: Icon } }) => (
          <button
            type="button"
            key={type}
            class="fjs-palette-field fjs-drag-copy fjs-no-drop"
            data-field-type={type}
            title={t(name)}
            onKeyDown={(event) => { if (event.key === 'Enter') addAtEnd(type); }}
          >
            {Icon && <Icon class="fjs-palette-field-icon" width="36" height="36" viewBox="0 0 54 54" />}
            <span class="fjs-palette-field-text">{t(name)}</span>
          </button>
        ))}
      </div>
    </div>
  );
}

/** The text in the palette's own search box, which form-js keeps to itself. */
function usePaletteSearch() {
  const ref = useRef<HTMLDivElement>(null);
  const [term, setTerm] = useState('');
  useEffect(() => {
    const palette = ref.current?.closest('.fjs-palette');
    const input = palette?.querySelector<HTMLInputElement>('.fjs-palette-search');
    if (!palette || !input) return undefined;
    const follow = () => setTerm(input.value);
    // the clear button empties the box without an input event
    const followClear = (event: Event) => { if ((event.target as Element).closest('.fjs-palette-search-clear')) setTerm(''); };
    input.addEventListener('input', follow);
    palette.addEventListener('click', followClear);
    return () => { input.removeEventListener('input', follow); palette.removeEventListener('click', followClear); };
  }, []);
  return { ref, term };
}

function matchesSearch(term: string, ...texts: readonly string[]): boolean {
  const wanted = term.toLowerCase().replace(/\s+/g, '');
  return texts.some((text) => text.toLowerCase().replace(/\s+/g, '').includes(wanted));
}
