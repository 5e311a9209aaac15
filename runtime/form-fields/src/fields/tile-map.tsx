import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Translate } from '../i18n/translate.js';

export interface Coordinates {
  readonly longitude: number;
  readonly latitude: number;
}

const TILE_SIZE = 256;
const MIN_ZOOM = 2;
const MAX_ZOOM = 19;
/** a press that moves less than this is a click that sets the position, not a pan */
const CLICK_TOLERANCE_PX = 4;

export interface TileMapProps {
  /** XYZ template: `{z}`, `{x}`, `{y}` (and `{s}`, served by subdomain `a`) */
  readonly tileUrl: string;
  readonly marker?: Coordinates;
  readonly initialCenter: Coordinates;
  readonly initialZoom: number;
  readonly editable: boolean;
  readonly t: Translate;
  onPick(position: Coordinates): void;
  /** every tile tried so far failed: the map cannot be reached */
  onUnavailable(): void;
}

/**
 * The smallest map that does the job: Web-Mercator tiles from an XYZ source laid out around a
 * centre, drag to pan, buttons to zoom, a click sets the position. No map library, so the
 * bundle stays light and nothing but the tiles is fetched (intranets often have only their own
 * tile server, or none).
 */
export function TileMap(props: TileMapProps) {
  const { tileUrl, marker, editable, t } = props;
  const viewport = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [zoom, setZoom] = useState(props.initialZoom);
  const [center, setCenter] = useState(() => project(marker ?? props.initialCenter, props.initialZoom));
  const drag = useRef<{ x: number; y: number; center: Point; moved: boolean } | null>(null);

  useLayoutEffect(() => {
    const element = viewport.current;
    if (!element) return undefined;
    const measure = () => setSize({ width: element.clientWidth, height: element.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // a position typed or located elsewhere: bring it into view
  useEffect(() => {
    if (!marker || size.width === 0) return;
    const point = project(marker, zoom);
    const inView = Math.abs(point.x - center.x) < size.width / 2 && Math.abs(point.y - center.y) < size.height / 2;
    if (!inView) setCenter(point);
  }, [marker?.longitude, marker?.latitude, size.width]);

  const changeZoom = (next: number) => {
    const clamped = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, next));
    setCenter((current) => scale(current, 2 ** (clamped - zoom)));
    setZoom(clamped);
  };
  const topLeft = { x: center.x - size.width / 2, y: center.y - size.height / 2 };
  const onPointerDown = (event: PointerEvent) => {
    drag.current = { x: event.clientX, y: event.clientY, center, moved: false };
    (event.currentTarget as HTMLElement).setPointerCapture?.(event.pointerId);
  };
  const onPointerMove = (event: PointerEvent) => {
    const pressed = drag.current;
    if (!pressed) return;
    const dx = event.clientX - pressed.x;
    const dy = event.clientY - pressed.y;
    if (!pressed.moved && Math.hypot(dx, dy) < CLICK_TOLERANCE_PX) return;
    pressed.moved = true;
    setCenter({ x: pressed.center.x - dx, y: pressed.center.y - dy });
  };
  const onPointerUp = (event: PointerEvent) => {
    const pressed = drag.current;
    drag.current = null;
    if (!pressed || pressed.moved || !editable) return;
    const bounds = (event.currentTarget as HTMLElement).getBoundingClientRect();
    props.onPick(unproject({ x: topLeft.x + event.clientX - bounds.left, y: topLeft.y + event.clientY - bounds.top }, zoom));
  };
  const markerPoint = marker && project(marker, zoom);
  const visible = visibleTiles(topLeft, size, zoom);
  const tiles = useTileHealth(visible.length, props.onUnavailable);

  return (
    <div class="yw-map" role="application" aria-label={t('Map')} title={editable ? t('Click the map to set the position.') : undefined}>
      <div
        ref={viewport}
        class="yw-map-viewport"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => { drag.current = null; }}
      >
        {visible.map(({ x, y, wrappedX }) => (
          <img
            key={`${zoom}/${x}/${y}`}
            class="yw-map-tile"
            src={tileSource(tileUrl, zoom, wrappedX, y)}
            alt=""
            draggable={false}
            style={{ left: `${x * TILE_SIZE - topLeft.x}px`, top: `${y * TILE_SIZE - topLeft.y}px` }}
            onLoad={tiles.loaded}
            onError={tiles.failed}
          />
        ))}
        {markerPoint && (
          <span class="yw-map-marker" style={{ left: `${markerPoint.x - topLeft.x}px`, top: `${markerPoint.y - topLeft.y}px` }} />
        )}
      </div>
      <div class="yw-map-zoom">
        <button type="button" aria-label={t('Zoom in')} onClick={() => changeZoom(zoom + 1)}>+</button>
        <button type="button" aria-label={t('Zoom out')} onClick={() => changeZoom(zoom - 1)}>−</button>
      </div>
    </div>
  );
}

interface Point { readonly x: number; readonly y: number }

/** Web Mercator: longitude/latitude → pixels of the world at `zoom`. */
export function project({ longitude, latitude }: Coordinates, zoom: number): Point {
  const world = TILE_SIZE * 2 ** zoom;
  const sin = Math.sin((Math.max(-85.05, Math.min(85.05, latitude)) * Math.PI) / 180);
  return {
    x: ((longitude + 180) / 360) * world,
    y: (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * world,
  };
}

export function unproject({ x, y }: Point, zoom: number): Coordinates {
  const world = TILE_SIZE * 2 ** zoom;
  const longitude = (x / world) * 360 - 180;
  const latitude = (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / world))) * 180) / Math.PI;
  return { longitude: round(wrapLongitude(longitude)), latitude: round(latitude) };
}

/** six decimals: about 0.1 m, more than any phone measures */
const round = (degrees: number) => Math.round(degrees * 1e6) / 1e6;
const wrapLongitude = (longitude: number) => ((((longitude + 180) % 360) + 360) % 360) - 180;
const scale = (point: Point, factor: number): Point => ({ x: point.x * factor, y: point.y * factor });

function visibleTiles(topLeft: Point, size: { width: number; height: number }, zoom: number) {
  const count = 2 ** zoom;
  const tiles: { x: number; y: number; wrappedX: number }[] = [];
  if (size.width === 0) return tiles;
  for (let y = Math.floor(topLeft.y / TILE_SIZE); y * TILE_SIZE < topLeft.y + size.height; y++) {
    if (y < 0 || y >= count) continue;
    for (let x = Math.floor(topLeft.x / TILE_SIZE); x * TILE_SIZE < topLeft.x + size.width; x++) {
      tiles.push({ x, y, wrappedX: ((x % count) + count) % count });
    }
  }
  return tiles;
}

export function tileSource(template: string, zoom: number, x: number, y: number): string {
  return template.replace('{z}', String(zoom)).replace('{x}', String(x)).replace('{y}', String(y)).replace('{s}', 'a');
}

/**
 * Counts tiles loaded and failed; reports the map unreachable once the first tiles (up to four of
 * those on screen) all failed and none loaded, so one slow tile does not decide it.
 */
function useTileHealth(onScreen: number, onUnavailable: () => void) {
  const counts = useRef({ loaded: 0, failed: 0, reported: false });
  const [failures, setFailures] = useState(0);
  useEffect(() => {
    const current = counts.current;
    if (onScreen > 0 && failures >= Math.min(onScreen, 4) && current.loaded === 0 && !current.reported) {
      current.reported = true;
      onUnavailable();
    }
  }, [failures, onScreen]);
  return {
    loaded: () => { counts.current.loaded++; },
    failed: () => { counts.current.failed++; setFailures(counts.current.failed); },
  };
}
