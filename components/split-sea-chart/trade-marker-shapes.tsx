/**
 * Marker shapes for the price axis (recharts Scatter `shape`): an entry is a triangle pointing
 * the trade's way (green long, red short), an exit a hollow circle, a liquidation a red cross.
 * Each carries `data-trade` (the trade's index), so the trades table can highlight it with CSS.
 */
import type { TradeMarker } from '@/lib/client/zone-split';

interface ShapeProps {
  cx?: number;
  cy?: number;
  payload?: TradeMarker;
}

/** Entry fill: ▲ long, ▼ short. */
export function EntryMarker({ cx = 0, cy = 0, payload }: ShapeProps) {
  const long = payload?.side !== 'short';
  const d = long
    ? `M${cx},${cy - 6} L${cx + 5},${cy + 3} L${cx - 5},${cy + 3} Z`
    : `M${cx},${cy + 6} L${cx + 5},${cy - 3} L${cx - 5},${cy - 3} Z`;
  return <path d={d} fill={long ? 'var(--long)' : 'var(--short)'} stroke="var(--bg)" strokeWidth={1} data-marker="entry" data-trade={payload?.trade} />;
}

/** Exit fill by signal or at the window's end. */
export function ExitMarker({ cx = 0, cy = 0, payload }: ShapeProps) {
  return <circle cx={cx} cy={cy} r={3.5} fill="var(--bg)" stroke="var(--text)" strokeWidth={1.5} data-marker="exit" data-trade={payload?.trade} />;
}

/** Liquidation: the whole margin lost. */
export function LiquidationMarker({ cx = 0, cy = 0, payload }: ShapeProps) {
  const r = 5;
  return (
    <path
      d={`M${cx - r},${cy - r} L${cx + r},${cy + r} M${cx - r},${cy + r} L${cx + r},${cy - r}`}
      stroke="var(--danger)"
      strokeWidth={2.5}
      data-marker="liquidation"
      data-trade={payload?.trade}
    />
  );
}
