/** Legend of the split-sea chart: zones with their threshold bounds, price, position and markers. */
import type { ZoneName, ZoneThresholds } from '@/lib/client/zone-split';
import { ZONE_ATTR, ZONE_FILL, ZONE_LABELS } from './zone-style';
import styles from './split-sea-chart.module.css';

function zoneBounds(zone: ZoneName, t: ZoneThresholds): string {
  switch (zone) {
    case 'extremeFear':
      return `≤ ${t.extremeLow}`;
    case 'fear':
      return t.extremeLow === undefined ? `≤ ${t.low}` : `${t.extremeLow}–${t.low}`;
    case 'neutral':
      return `${t.low}–${t.high}`;
    case 'greed':
      return t.extremeHigh === undefined ? `≥ ${t.high}` : `${t.high}–${t.extremeHigh}`;
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
        Entry
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
