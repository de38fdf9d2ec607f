import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: 'Split Sea — FGI strategy backtester',
  description: 'Backtest Fear & Greed Index strategies on leveraged BTC, ETH and SOL perpetuals.',
};

/** Root layout: the trading-desk theme (dark, or light under `prefers-color-scheme: light`) around every page. */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
