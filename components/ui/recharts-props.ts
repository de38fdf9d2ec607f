/**
 * Props shared by the page's recharts charts (the zoom brush and the walk-forward chart): the
 * axis tick style, a time axis over bar times, and the SVG's image role and name.
 */
import { timeTickFormatter } from '@/lib/client/format';

/** Axis tick style (the SVG charts' axes use the same in CSS). */
export const AXIS_TICK = { fill: 'var(--muted)', fontSize: 11 };

/** Props every chart SVG gets: no recharts keyboard layer (not a Tab stop), an image role and a name. */
export const chartImage = (name: string) => ({ accessibilityLayer: false, role: 'img', title: name }) as const;

/** XAxis props of a chart over bar times (Unix ms) from `first` to `last`: ticks as UTC dates or times. */
export const timeAxisProps = (first: number, last: number) =>
  ({
    dataKey: 'time',
    type: 'number',
    scale: 'time',
    domain: [first, last],
    tickFormatter: timeTickFormatter(last - first),
    tick: AXIS_TICK,
    stroke: 'var(--border)',
    minTickGap: 24,
    height: 20,
  }) as const;
