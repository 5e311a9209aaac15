import { useEffect, useRef, useState } from 'preact/hooks';
import type { Translate } from '../i18n/translate.js';

export interface PickerOption {
  readonly id: string;
  readonly label: string;
  /** shown beside the label: a login id, a department code */
  readonly detail?: string;
}

export interface OptionPickerProps {
  readonly domId: string;
  readonly multiple: boolean;
  readonly selected: readonly string[];
  readonly editable: boolean;
  readonly t: Translate;
  search(query: string): Promise<readonly PickerOption[]>;
  /** the option of an id chosen before this form opened (its label is not known yet) */
  resolve(id: string): Promise<PickerOption | undefined>;
  onChange(ids: string[]): void;
  onBlur?(): void;
}

const SEARCH_DELAY_MS = 250;

/**
 * Search-as-you-type picker of one or several ids (users, departments): the chosen ones as chips,
 * an input that searches, and the matches in a list below it.
 */
export function OptionPicker(props: OptionPickerProps) {
  const { domId, multiple, selected, editable, t } = props;
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [matches, setMatches] = useState<readonly PickerOption[]>([]);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [highlighted, setHighlighted] = useState(0);
  const known = useKnownOptions(selected, props.resolve);
  const searchId = useRef(0);

  useEffect(() => {
    if (!open) return undefined;
    const id = ++searchId.current;
    setLoading(true);
    const timer = setTimeout(() => {
      props.search(query).then(
        (found) => { if (id === searchId.current) { setMatches(found); setProblem(null); setHighlighted(0); setLoading(false); } },
        (error: unknown) => { if (id === searchId.current) { setProblem(t('Could not load the choices: {message}', { message: String((error as Error)?.message ?? error) })); setLoading(false); } },
      );
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [query, open]);

  const choose = (option: PickerOption) => {
    known.remember(option);
    props.onChange(multiple ? [...selected.filter((id) => id !== option.id), option.id] : [option.id]);
    setQuery('');
    if (!multiple) setOpen(false);
  };
  const remove = (id: string) => props.onChange(selected.filter((chosen) => chosen !== id));
  const offered = matches.filter((option) => !selected.includes(option.id));

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown') setHighlighted((index) => Math.min(index + 1, offered.length - 1));
    else if (event.key === 'ArrowUp') setHighlighted((index) => Math.max(index - 1, 0));
    else if (event.key === 'Escape') setOpen(false);
    else if (event.key === 'Enter' && open && offered[highlighted]) choose(offered[highlighted]);
    else return;
    event.preventDefault();
  };

  return (
    <div class="yw-picker">
      {selected.length > 0 && (
        <ul class="yw-chips">
          {selected.map((id) => {
            const label = known.labelOf(id);
            return (
              <li class="yw-chip" key={id} data-id={id}>
                <span>{label}</span>
                {editable && (
                  <button type="button" class="yw-chip-remove" aria-label={t('Remove {label}', { label })} onClick={() => remove(id)}>×</button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {editable && (multiple || selected.length === 0) && (
        <input
          id={domId}
          class="fjs-input yw-picker-input"
          type="text"
          autocomplete="off"
          placeholder={t('Search…')}
          value={query}
          role="combobox"
          aria-expanded={open}
          aria-controls={`${domId}-options`}
          onInput={(event) => { setQuery(event.currentTarget.value); setOpen(true); }}
          onFocus={() => setOpen(true)}
          onBlur={() => { setOpen(false); props.onBlur?.(); }}
          onKeyDown={onKeyDown}
        />
      )}
      {open && (
        <ul class="yw-picker-options" id={`${domId}-options`} role="listbox">
          {problem && <li class="yw-picker-note yw-problem">{problem}</li>}
          {!problem && loading && <li class="yw-picker-note">{t('Loading…')}</li>}
          {!problem && !loading && offered.length === 0 && <li class="yw-picker-note">{t('No matches')}</li>}
          {!problem && !loading && offered.map((option, index) => (
            <li
              key={option.id}
              role="option"
              aria-selected={index === highlighted}
              class={index === highlighted ? 'yw-picker-option yw-highlighted' : 'yw-picker-option'}
              data-id={option.id}
              // mousedown, not click: the input's blur (which closes the list) comes before a click
              onMouseDown={(event) => { event.preventDefault(); choose(option); }}
            >
              {option.label}
              {option.detail && <small class="yw-picker-detail">{option.detail}</small>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Labels of the chosen ids: remembered when chosen, resolved once for ids the form opened with. */
function useKnownOptions(selected: readonly string[], resolve: (id: string) => Promise<PickerOption | undefined>) {
  const [labels, setLabels] = useState<ReadonlyMap<string, string>>(new Map());
  const asked = useRef(new Set<string>());
  const remember = (option: PickerOption) => setLabels((current) => new Map(current).set(option.id, option.label));
  useEffect(() => {
    for (const id of selected) {
      if (labels.has(id) || asked.current.has(id)) continue;
      asked.current.add(id);
      resolve(id).then((option) => option && remember(option), () => undefined);
    }
  }, [selected.join('\n')]);
  return { remember, labelOf: (id: string) => labels.get(id) ?? id };
}
