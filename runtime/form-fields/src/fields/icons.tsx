import type { ComponentChildren, FunctionComponent } from 'preact';

/** Palette icons on form-js's 54 × 54 grid (the palette passes size and viewBox). */
type Icon = FunctionComponent<Record<string, unknown>>;

const icon = (children: ComponentChildren): Icon => (props) => (
  <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 54 54" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round" {...props}>
    {children}
  </svg>
);

export const UserIcon = icon(<><circle cx="27" cy="19" r="7" /><path d="M14 41c1.5-7 6.5-11 13-11s11.5 4 13 11" /></>);
export const DepartmentIcon = icon(<><rect x="20" y="11" width="14" height="9" /><rect x="10" y="34" width="12" height="9" /><rect x="32" y="34" width="12" height="9" /><path d="M27 20v7M16 34v-7h22v7" /></>);
export const DictionaryIcon = icon(<><path d="M14 12h20l6 6v24H14z" /><path d="M20 24h14M20 30h14M20 36h9" /></>);
export const RegionIcon = icon(<><path d="M10 16l11-4 12 4 11-4v26l-11 4-12-4-11 4z" /><path d="M21 12v26M33 16v26" /></>);
export const LocationIcon = icon(<><path d="M27 44s-11-11-11-20a11 11 0 0 1 22 0c0 9-11 20-11 20z" /><circle cx="27" cy="24" r="4" /></>);
export const SubtableIcon = icon(<><rect x="10" y="13" width="34" height="28" /><path d="M10 21h34M10 31h34M22 13v28" /></>);
export const SerialIcon = icon(<><path d="M21 13l-4 28M35 13l-4 28M12 22h30M11 33h30" /></>);
