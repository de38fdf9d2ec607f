/** Display names and colours of the FGI zones (colours are theme variables of app/globals.css). */
import type { ZoneName } from '@/lib/client/zone-split';

/** Human name of each zone. */
export const ZONE_LABELS: Record<ZoneName, string> = {
  extremeFear: 'Extreme fear',
  fear: 'Fear',
  neutral: 'Neutral',
  greed: 'Greed',
  extremeGreed: 'Extreme greed',
};

/** Kebab-case zone name used in `data-zone` attributes (`extreme-fear`, `fear`, …). */
export const ZONE_ATTR: Record<ZoneName, string> = {
  extremeFear: 'extreme-fear',
  fear: 'fear',
  neutral: 'neutral',
  greed: 'greed',
  extremeGreed: 'extreme-greed',
};

/** Fill of each zone's water. */
export const ZONE_FILL: Record<ZoneName, string> = {
  extremeFear: 'var(--fear-extreme)',
  fear: 'var(--fear)',
  neutral: 'var(--neutral)',
  greed: 'var(--greed)',
  extremeGreed: 'var(--greed-extreme)',
};
