import type { ComponentChildren } from 'preact';

/**
 * Properties panel entries in the markup and classes of @bpmn-io/properties-panel, written here
 * because that package's own entry components bring their own copy of preact (hooks break across
 * two copies: bpmn-io/form-js#1369). Text and numbers are written to the schema when the input
 * is left or Enter is pressed, one undo step per edit.
 */

export type EditField = (field: object, path: string | readonly string[], value: unknown) => void;

interface EntryProps {
  readonly id: string;
  readonly label: string;
  readonly description?: string;
}

function Entry({ id, children, description }: EntryProps & { children: ComponentChildren }) {
  return (
    <div class="bio-properties-panel-entry" data-entry-id={id}>
      {children}
      {description && <div class="bio-properties-panel-description">{description}</div>}
    </div>
  );
}

const inputId = (id: string) => `bio-properties-panel-${id}`;

export function TextEntry(props: EntryProps & { value: string | undefined; placeholder?: string; multiline?: boolean; onCommit(value: string | undefined): void }) {
  const { id, label, value, placeholder, multiline, onCommit } = props;
  const commit = (event: Event) => {
    const text = (event.currentTarget as HTMLInputElement | HTMLTextAreaElement).value;
    if (text !== (value ?? '')) onCommit(text === '' ? undefined : text);
  };
  return (
    <Entry {...props}>
      <div class={multiline ? 'bio-properties-panel-textarea' : 'bio-properties-panel-textfield'}>
        <label for={inputId(id)} class="bio-properties-panel-label">{label}</label>
        {multiline
          ? <textarea id={inputId(id)} name={id} class="bio-properties-panel-input" rows={4} spellcheck={false} value={value ?? ''} onChange={commit} />
          : <input id={inputId(id)} name={id} type="text" class="bio-properties-panel-input" spellcheck={false} placeholder={placeholder} value={value ?? ''} onChange={commit} />}
      </div>
    </Entry>
  );
}

export function NumberEntry(props: EntryProps & { value: number | undefined; min?: number; onCommit(value: number | undefined): void }) {
  const { id, label, value, min, onCommit } = props;
  const commit = (event: Event) => {
    const text = (event.currentTarget as HTMLInputElement).value.trim();
    const number = text === '' ? undefined : Number(text);
    if (number === undefined || Number.isFinite(number)) onCommit(number);
  };
  return (
    <Entry {...props}>
      <div class="bio-properties-panel-textfield">
        <label for={inputId(id)} class="bio-properties-panel-label">{label}</label>
        <input id={inputId(id)} name={id} type="number" min={min} step="any" class="bio-properties-panel-input" value={value ?? ''} onChange={commit} />
      </div>
    </Entry>
  );
}

export function CheckboxEntry(props: EntryProps & { value: boolean; onCommit(value: boolean): void }) {
  const { id, label, value, onCommit } = props;
  return (
    <Entry {...props}>
      <div class="bio-properties-panel-checkbox">
        <input id={inputId(id)} name={id} type="checkbox" class="bio-properties-panel-input" checked={value} onChange={(event) => onCommit(event.currentTarget.checked)} />
        <label for={inputId(id)} class="bio-properties-panel-label">{label}</label>
      </div>
    </Entry>
  );
}

export function SelectEntry(props: EntryProps & { value: string; options: readonly { value: string; label: string }[]; onCommit(value: string): void }) {
  const { id, label, value, options, onCommit } = props;
  return (
    <Entry {...props}>
      <div class="bio-properties-panel-select">
        <label for={inputId(id)} class="bio-properties-panel-label">{label}</label>
        <select id={inputId(id)} name={id} class="bio-properties-panel-input" value={value} onChange={(event) => onCommit(event.currentTarget.value)}>
          {options.map((option) => <option key={option.value} value={option.value}>{option.label}</option>)}
        </select>
      </div>
    </Entry>
  );
}

/** A properties panel entry as form-js's provider contract wants it: a component and its props. */
export interface PanelEntry {
  readonly id: string;
  readonly component: (props: never) => ComponentChildren;
  readonly isEdited?: () => boolean;
  readonly [prop: string]: unknown;
}
