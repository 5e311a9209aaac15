import { useEffect, useState } from 'preact/hooks';
import { LocationIcon } from './icons.js';
import { FIELD_TYPES, type LocationField, type LocationValue } from './schema.js';
import { FieldFrame, isEditable, useOptions, useTranslate, type FieldConfig, type FieldProps } from './shared.js';
import { TileMap, type Coordinates } from './tile-map.js';

/** Where the map opens when the field holds no position yet and the app names no centre. */
const DEFAULT_VIEW = { center: { longitude: 104.2, latitude: 35.9 }, zoom: 4 };
/** how close the map opens on a position the field already holds */
const POSITION_ZOOM = 16;

type Draft = { longitude: string; latitude: string; address: string };

/**
 * 位置: `{ longitude, latitude, address? }`. A map when a tile source is configured and reachable;
 * the coordinates can always be typed, and a phone can fill them from its own position.
 */
export function LocationPicker(props: FieldProps<LocationField, Partial<LocationValue>>) {
  const { field, value, domId } = props;
  const options = useOptions();
  const t = useTranslate();
  const editable = isEditable(props);
  const tileUrl = field.tileUrl || options.tileUrl;
  const [mapUnavailable, setMapUnavailable] = useState(false);
  const [locating, setLocating] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft>(() => draftOf(value));
  // the value changes from the map or the phone's position: show it in the inputs
  useEffect(() => setDraft((current) => (sameValue(current, value) ? current : draftOf(value))), [value?.longitude, value?.latitude, value?.address]);

  const update = (next: Draft) => {
    setDraft(next);
    props.onChange({ value: valueOf(next) });
  };
  const pick = ({ longitude, latitude }: Coordinates) => update({ ...draft, longitude: String(longitude), latitude: String(latitude) });
  const locate = () => {
    if (!navigator.geolocation) return setProblem(t('This device cannot tell its position.'));
    setLocating(true);
    setProblem(null);
    navigator.geolocation.getCurrentPosition(
      ({ coords }) => { setLocating(false); pick({ longitude: round(coords.longitude), latitude: round(coords.latitude) }); },
      (error) => { setLocating(false); setProblem(t('Position unavailable: {message}', { message: error.message })); },
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  };
  const marker = value && isCoordinate(value.longitude) && isCoordinate(value.latitude) ? { longitude: value.longitude, latitude: value.latitude } : undefined;
  const input = (name: keyof Draft, label: string, type: 'number' | 'text') => (
    <label class="yw-location-input">
      <span class="yw-caption">{label}</span>
      <input
        id={name === 'longitude' ? domId : `${domId}-${name}`}
        class="fjs-input"
        type={type}
        step={type === 'number' ? 'any' : undefined}
        inputMode={type === 'number' ? 'decimal' : undefined}
        name={name}
        value={draft[name]}
        disabled={props.disabled}
        readOnly={props.readonly}
        onInput={(event) => update({ ...draft, [name]: event.currentTarget.value })}
        onBlur={props.onBlur}
      />
    </label>
  );

  return (
    <FieldFrame {...props}>
      {tileUrl && !mapUnavailable && (
        <TileMap
          tileUrl={tileUrl}
          marker={marker}
          initialCenter={marker ?? options.mapCenter ?? DEFAULT_VIEW.center}
          initialZoom={marker ? POSITION_ZOOM : options.mapZoom ?? DEFAULT_VIEW.zoom}
          editable={editable}
          t={t}
          onPick={pick}
          onUnavailable={() => setMapUnavailable(true)}
        />
      )}
      {tileUrl && mapUnavailable && <div class="yw-note yw-map-unavailable">{t('The map cannot be reached; enter the coordinates by hand.')}</div>}
      <div class="yw-location-inputs">
        {input('longitude', t('Longitude'), 'number')}
        {input('latitude', t('Latitude'), 'number')}
      </div>
      {input('address', t('Address'), 'text')}
      {editable && (
        <button type="button" class="yw-button yw-locate" disabled={locating} onClick={locate}>
          {locating ? t('Locating…') : t('Use my position')}
        </button>
      )}
      {problem && <div class="yw-note yw-problem">{problem}</div>}
    </FieldFrame>
  );
}

const round = (degrees: number) => Math.round(degrees * 1e6) / 1e6;
const isCoordinate = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function draftOf(value: Partial<LocationValue> | null | undefined): Draft {
  return {
    longitude: isCoordinate(value?.longitude) ? String(value.longitude) : '',
    latitude: isCoordinate(value?.latitude) ? String(value.latitude) : '',
    address: value?.address ?? '',
  };
}

/** What the inputs say as a value: numbers where they parse, null when everything is empty. */
function valueOf(draft: Draft): Partial<LocationValue> | null {
  const longitude = parseCoordinate(draft.longitude);
  const latitude = parseCoordinate(draft.latitude);
  const address = draft.address.trim();
  if (longitude === undefined && latitude === undefined && address === '') return null;
  return { ...(longitude !== undefined && { longitude }), ...(latitude !== undefined && { latitude }), ...(address !== '' && { address }) };
}

function parseCoordinate(text: string): number | undefined {
  const number = text.trim() === '' ? Number.NaN : Number(text);
  return Number.isFinite(number) ? number : undefined;
}

function sameValue(draft: Draft, value: Partial<LocationValue> | null | undefined): boolean {
  const parsed = valueOf(draft);
  return parsed?.longitude === value?.longitude && parsed?.latitude === value?.latitude && (parsed?.address ?? '') === (value?.address ?? '');
}

LocationPicker.config = {
  type: FIELD_TYPES.location,
  keyed: true,
  name: 'Location',
  label: 'Location',
  group: 'basic-input',
  emptyValue: null,
  propertiesPanelEntries: ['key', 'label', 'description', 'required', 'disabled', 'readonly'],
  sanitizeValue: ({ value }) => (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : null),
  create: (options = {}) => ({ ...options }),
  icon: LocationIcon,
} satisfies FieldConfig;
