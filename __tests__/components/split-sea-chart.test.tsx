import { render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SplitSeaChart } from '@/components/split-sea-chart/split-sea-chart';
import { detailPoints } from './api-mock';

const detail = {
  points: detailPoints(),
  trades: [
    {
      side: 'long' as const,
      entryTime: detailPoints()[1].time,
      entryPrice: 3_010,
      exitTime: detailPoints()[3].time,
      exitPrice: 3_030,
      quantity: 1,
      margin: 950,
      fees: 3,
      funding: 0,
      pnl: 17,
      exitReason: 'signal' as const,
    },
    {
      side: 'short' as const,
      entryTime: detailPoints()[6].time,
      entryPrice: 3_060,
      exitTime: detailPoints()[8].time,
      exitPrice: 3_080,
      quantity: 1,
      margin: 950,
      fees: 1.5,
      funding: 0,
      pnl: -950,
      exitReason: 'liquidation' as const,
    },
  ],
};

// jsdom lays nothing out; give recharts' ResponsiveContainer a real size to draw into.
beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue(new DOMRect(0, 0, 800, 300));
});
afterEach(() => vi.restoreAllMocks());

describe('split-sea chart', () => {
  it('draws the FGI as fear, neutral and greed water', () => {
    const { container } = render(<SplitSeaChart detail={detail} thresholds={{ low: 25, high: 75 }} />);
    for (const zone of ['fear', 'neutral', 'greed']) {
      const path = container.querySelector(`path[data-zone="${zone}"]`);
      expect(path, zone).not.toBeNull();
      expect(path!.getAttribute('d')).toMatch(/^M/);
    }
    expect(container.querySelector('path[data-zone="extreme-fear"]')).toBeNull();
    const legend = screen.getByRole('list', { name: 'Chart legend' });
    expect(within(legend).getByText('Fear').closest('li')).toHaveAttribute('data-zone', 'fear');
    expect(within(legend).getByText('≤ 25')).toBeInTheDocument();
    expect(within(legend).getByText('≥ 75')).toBeInTheDocument();
  });

  it('adds darker extreme zones when extreme thresholds are set', () => {
    const { container } = render(
      <SplitSeaChart detail={detail} thresholds={{ low: 25, high: 75, extremeLow: 15, extremeHigh: 85 }} />,
    );
    for (const zone of ['extreme-fear', 'fear', 'neutral', 'greed', 'extreme-greed']) {
      expect(container.querySelector(`path[data-zone="${zone}"]`), zone).not.toBeNull();
    }
    expect(container.querySelector('path[data-zone="extreme-fear"]')).toHaveAttribute('fill', 'var(--fear-extreme)');
  });

  it('draws the price line, the position band and the trade markers', () => {
    const { container } = render(<SplitSeaChart detail={detail} thresholds={{ low: 25, high: 75 }} />);
    expect(container.querySelector('path[data-series="price"]')).not.toBeNull();
    expect(container.querySelector('path[data-position="long"]')).not.toBeNull();
    expect(container.querySelector('path[data-position="short"]')).not.toBeNull();
    expect(container.querySelectorAll('[data-marker="entry"]')).toHaveLength(2);
    expect(container.querySelectorAll('[data-marker="exit"]')).toHaveLength(1);
    expect(container.querySelectorAll('[data-marker="liquidation"]')).toHaveLength(1);
  });

  it('draws no liquidation marker when no trade was liquidated', () => {
    const { container } = render(
      <SplitSeaChart detail={{ ...detail, trades: detail.trades.slice(0, 1) }} thresholds={{ low: 25, high: 75 }} />,
    );
    expect(container.querySelectorAll('[data-marker="entry"]')).toHaveLength(1);
    expect(container.querySelectorAll('[data-marker="liquidation"]')).toHaveLength(0);
  });

  it('stacks the zones bottom-up (extreme fear lowest) even when extremes are switched on later', () => {
    const { container, rerender } = render(<SplitSeaChart detail={detail} thresholds={{ low: 25, high: 75 }} />);
    rerender(<SplitSeaChart detail={detail} thresholds={{ low: 25, high: 75, extremeLow: 10, extremeHigh: 90 }} />);
    // Lowest drawn point (largest SVG y) of each zone's area.
    const bottom = (zone: string) =>
      Math.max(
        ...[...container.querySelector(`path[data-zone="${zone}"]`)!.getAttribute('d')!.matchAll(/[ML]\s*[-\d.]+[ ,]([-\d.]+)/g)].map(
          (m) => Number(m[1]),
        ),
      );
    // Only the lowest layer reaches the axis; each layer starts where the one below ends.
    expect(bottom('extreme-fear')).toBeGreaterThan(bottom('fear'));
    expect(bottom('fear')).toBeGreaterThanOrEqual(bottom('neutral'));
    expect(bottom('neutral')).toBeGreaterThanOrEqual(bottom('greed'));
    expect(bottom('greed')).toBeGreaterThanOrEqual(bottom('extreme-greed'));
  });
});
