/** Legend of the split-sea chart: zones with their threshold bounds, price, position and markers. */
import type { ZoneName, ZoneThresholds } from '@/lib/client/zone-split';
import { ZONE_ATTR, ZONE_FILL, ZONE_LABELS } from './zone-style';
import styles from './split-sea-chart.module.css';

/** An inclusive range of integer FGI values: `26–74`, `26` for one value, `none` when empty. */
function fgiRange(from: number, to: number): string {
  return from > to ? 'none' : from === to ? `${from}` : `${from}–${to}`;
}

/**
 * The integer FGI values of a zone under the strategy's inclusive rule (SPEC §3): fear ≤ low,
 * greed ≥ high, so neutral is low + 1 … high − 1 (none when high = low + 1); extreme fear
 * ≤ extremeLow leaves extremeLow + 1 … low to fear, and likewise for greed.
 */
function zoneBounds(zone: ZoneName, t: ZoneThresholds): string {
  switch (zone) {
    case 'extremeFear':
      return `≤ ${t.extremeLow}`;
    case 'fear':
      return t.extremeLow === undefined ? `≤ ${t.low}` : fgiRange(t.extremeLow + 1, t.low);
    case 'neutral':
      return fgiRange(t.low + 1, t.high - 1);
    case 'greed':
      return t.extremeHigh === undefined ? `≥ ${t.high}` : fgiRange(t.high, t.extremeHigh - 1);
    case 'extremeGreed':
      return `≥ ${t.extremeHigh}`;
  }
}

/** The legend row; each zone item carries `data-zone` for tests and styling. */
export function ChartLegend({ zones, thresholds }: { zones: readonly ZoneName[]; thresholds: ZoneThresholds }) {
  return (
    <ul className={styles.legend} aria-label="Chart legend">
      {zones.map((zone) => (
        <li key={zone} data-zone={ZONE_ATTR[zone]}>
          <span className={styles.swatch} style={{ background: ZONE_FILL[zone] }} aria-hidden="true" />
          {ZONE_LABELS[zone]} <span className={styles.legendValue}>{zoneBounds(zone, thresholds)}</span>
        </li>
      ))}
      <li>
        <span className={styles.line} aria-hidden="true" />
        Price
      </li>
      <li>
        <span className={styles.swatch} style={{ background: 'var(--long)' }} aria-hidden="true" />
        Long
      </li>
      <li>
        <span className={styles.swatch} style={{ background: 'var(--short)' }} aria-hidden="true" />
        Short
      </li>
      <li>
        <span className={styles.glyph} style={{ color: 'var(--long)' }} aria-hidden="true">▲</span>
        Long entry
      </li>
      <li>
        <span className={styles.glyph} style={{ color: 'var(--short)' }} aria-hidden="true">▼</span>
        Short entry
      </li>
      <li>
        <span className={styles.glyph} aria-hidden="true">○</span>
        Exit
      </li>
      <li>
        <span className={styles.glyph} style={{ color: 'var(--danger)' }} aria-hidden="true">✕</span>
        Liquidation
      </li>
    </ul>
  );
}
