import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: 'Split Sea — FGI strategy backtester',
  description: 'Backtest Fear & Greed Index strategies on leveraged BTC, ETH and SOL perpetuals.',
};

/** Root layout: the dark trading-desk theme around every page. */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
