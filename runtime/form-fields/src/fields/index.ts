import { DictionarySelect } from './dictionary.js';
import { LocationPicker } from './location.js';
import { DepartmentPicker, UserPicker } from './pickers.js';
import { RegionPicker } from './region.js';
import { SerialNumber } from './serial.js';
import type { FieldRenderer } from './shared.js';
import { Subtable } from './subtable.js';

/** Every field type of ours, in palette order. */
export const FIELD_RENDERERS = [UserPicker, DepartmentPicker, DictionarySelect, RegionPicker, LocationPicker, Subtable, SerialNumber] as unknown as readonly FieldRenderer[];
