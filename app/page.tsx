import { Backtester } from '@/components/backtester/backtester';

/** `/`: the split-sea backtester (SPEC §8). A server shell around the client feature. */
export default function HomePage() {
  return <Backtester />;
}
