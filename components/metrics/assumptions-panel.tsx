/**
 * The model's assumptions beside the metrics (SPEC §8): capital, margin share, taker fee and
 * maintenance margin rate from the engine's DEFAULT_ENGINE_CONFIG (the constants the server ran
 * with), and where the result's funding came from (lib/client/result-notes.ts fundingNote).
 */
import { memo } from 'react';
import { DEFAULT_ENGINE_CONFIG } from '@/lib/engine/config';
import type { FundingCoverage } from '@/lib/client/api-types';
import { formatNumber } from '@/lib/client/format';
import { fundingNote, type ShownResult } from '@/lib/client/result-notes';
import styles from './metric-cards.module.css';

const percent = (fraction: number, digits: number) => `${formatNumber(fraction * 100, { digits })} %`;

/** Props: the result on screen and the funding history list of GET /api/market-data (when the server gives one). */
export const AssumptionsPanel = memo(function AssumptionsPanel({ result, funding }: { result: ShownResult; funding?: FundingCoverage[] }) {
  const c = DEFAULT_ENGINE_CONFIG;
  const items: [string, string, string][] = [
    ['capital', 'Capital', `${formatNumber(c.capital, { digits: 0 })} USDT`],
    ['margin', 'Margin share', `${percent(c.marginFraction, 0)} of cash, isolated`],
    ['fee', 'Taker fee', `${percent(c.takerFeeRate, 2)} per fill`],
    ['mmr', 'Maintenance margin', percent(c.maintenanceMarginRate, 1)],
    ['funding', 'Funding', fundingNote(result, funding)],
  ];
  return (
    <dl className={styles.assumptions} aria-label="Model assumptions">
      {items.map(([key, label, value]) => (
        <div key={key} data-assumption={key}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
});
