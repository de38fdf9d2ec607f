import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ChartTooltip } from '@/components/split-sea-chart/chart-tooltip';
import { EquityChart } from '@/components/split-sea-chart/equity-chart';
import { SplitSeaChart as Chart, type SplitSeaChartProps } from '@/components/split-sea-chart/split-sea-chart';
import { ChartHoverProvider } from '@/components/split-sea-chart/svg-chart';
import { toSplitSeaRows } from '@/lib/client/zone-split';
import { detailPoints, tradeFixture } from './api-mock';

/** The chart over 4h bars. */
const SplitSeaChart = (props: Omit<SplitSeaChartProps, 'timeframe'>) => <Chart timeframe="4h" {...props} />;

// Fills happen at a bar's open at the open price, which in this continuous series is the
// previous bar's close: entry/exit at the open of bar k with the close of bar k − 1.
const points = detailPoints();
const detail = {
  points,
  trades: [
    tradeFixture({ entryTime: points[1].time, entryPrice: points[0].price, exitTime: points[3].time, exitPrice: points[2].price, pnl: 17 }),
    tradeFixture({
      side: 'short',
      entryTime: points[6].time,
      entryPrice: points[5].price,
      exitTime: points[8].time,
      exitPrice: 3_090,
      fees: 1.5,
      pnl: -950,
      exitReason: 'liquidation',
    }),
  ],
};

/** The vertices `[x, y]` of an SVG path made of M/L commands. */
const vertices = (d: string) => [...d.matchAll(/[ML]\s*([-\d.]+)[ ,]([-\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);

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

  it('labels each zone with the integer FGI values it holds, without overlaps', () => {
    const legendItem = (zone: string) => screen.getByRole('list', { name: 'Chart legend' }).querySelector(`li[data-zone="${zone}"]`);
    const { rerender } = render(<SplitSeaChart detail={detail} thresholds={{ low: 25, high: 75 }} />);
    expect(legendItem('neutral')).toHaveTextContent('Neutral 26–74');
    rerender(<SplitSeaChart detail={detail} thresholds={{ low: 25, high: 27 }} />);
    expect(legendItem('neutral')).toHaveTextContent('Neutral 26');
    rerender(<SplitSeaChart detail={detail} thresholds={{ low: 25, high: 26 }} />);
    expect(legendItem('neutral')).toHaveTextContent('Neutral none');
    rerender(<SplitSeaChart detail={detail} thresholds={{ low: 25, high: 75, extremeLow: 10, extremeHigh: 90 }} />);
    expect(legendItem('extreme-fear')).toHaveTextContent('Extreme fear ≤ 10');
    expect(legendItem('fear')).toHaveTextContent('Fear 11–25');
    expect(legendItem('greed')).toHaveTextContent('Greed 75–89');
    expect(legendItem('extreme-greed')).toHaveTextContent('Extreme greed ≥ 90');
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

  it('draws each bar at its close, so fills at the next open sit on the price line', () => {
    const { container } = render(<SplitSeaChart detail={detail} thresholds={{ low: 25, high: 75 }} />);
    const line = vertices(container.querySelector('path[data-series="price"]')!.getAttribute('d')!);
    expect(line).toHaveLength(points.length);
    const onLine = ([x, y]: number[]) => line.some(([lx, ly]) => Math.abs(lx - x) < 0.5 && Math.abs(ly - y) < 0.5);
    // Entry triangles start at their tip: (cx, cy ∓ 6) for long / short.
    const entries = [...container.querySelectorAll('[data-marker="entry"]')].map((el, k) => {
      const [x, y] = vertices(el.getAttribute('d')!)[0];
      return [x, k === 0 ? y + 6 : y - 6];
    });
    const exits = [...container.querySelectorAll('circle[data-marker="exit"]')].map((el) => [Number(el.getAttribute('cx')), Number(el.getAttribute('cy'))]);
    expect(entries).toHaveLength(2);
    expect(exits).toHaveLength(1);
    for (const marker of [...entries, ...exits]) expect(onLine(marker), `marker at ${marker}`).toBe(true);
  });

  it('labels the tooltip with the bar close time (UTC)', () => {
    const row = toSplitSeaRows(points, { low: 25, high: 75 }, '4h')[0];
    render(<ChartTooltip row={row} />);
    expect(screen.getByRole('status')).toHaveTextContent('Bar close 2025-01-01 04:00 UTC');
    expect(screen.getByRole('status')).toHaveTextContent('Close3,000.00 USDT');
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

  it('shows the hovered bar in the split-sea and equity charts at once, and hides it on leave', () => {
    const { container } = render(
      <ChartHoverProvider>
        <SplitSeaChart detail={detail} thresholds={{ low: 25, high: 75 }} />
        <EquityChart points={points} timeframe="4h" />
      </ChartHoverProvider>,
    );
    const svg = container.querySelector('[data-testid="split-sea-chart"] svg')!;
    // jsdom lays out nothing: the SVG's box starts at 0, so clientX is the x in the chart. The
    // plot spans x 40…748 of the 800 px box over 9 bar closes; x 305 is the fourth (index 3).
    fireEvent.pointerMove(svg, { clientX: 305 });
    const tooltips = screen.getAllByRole('status');
    expect(tooltips).toHaveLength(2);
    for (const tooltip of tooltips) expect(tooltip).toHaveTextContent('Bar close 2025-01-01 16:00 UTC');
    expect(tooltips[0]).toHaveTextContent('Close3,030.00 USDT');
    expect(tooltips[1]).toHaveTextContent('Strategy10,075.00 USDT');
    fireEvent.pointerLeave(svg);
    expect(screen.queryAllByRole('status')).toHaveLength(0);
  });
});
