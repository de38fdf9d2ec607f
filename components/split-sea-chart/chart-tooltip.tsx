/** Tooltip of the split-sea chart: one bar's close time (UTC), FGI and zone, close price, position and equity. */
import { formatUsdt, formatUtcTime } from '@/lib/client/format';
import type { SplitSeaRow } from '@/lib/client/zone-split';
import { ZONE_FILL, ZONE_LABELS } from './zone-style';
import styles from './split-sea-chart.module.css';


const POSITION_LABEL = { 1: 'Long', 0: 'Flat', [-1]: 'Short' } as const;

/** Details of the hovered bar's row. */
export function ChartTooltip({ row }: { row: SplitSeaRow }) {
  return (
    <div className={styles.tooltip} role="status">
      <div className={styles.tooltipTime}>Bar close {formatUtcTime(row.time)}</div>
      <dl>
        <dt>FGI</dt>
        <dd>
          {row.fgi ?? '—'}
          {row.zone && (
            <span className={styles.tooltipZone}>
              <span className={styles.swatch} style={{ background: ZONE_FILL[row.zone] }} aria-hidden="true" />
              {ZONE_LABELS[row.zone]}
            </span>
          )}
        </dd>
        <dt>Close</dt>
        <dd>{formatUsdt(row.price)}</dd>
        <dt>Position</dt>
        <dd>{POSITION_LABEL[row.position]}</dd>
        <dt>Equity</dt>
        <dd>{formatUsdt(row.equity)}</dd>
      </dl>
    </div>
  );
}
