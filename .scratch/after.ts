import { buildSeries, loadFgiSeries, loadFundingHistory } from '../lib/market-data/series';
import { contextFromEnv } from '../lib/market-data/context';
import { benchData } from '../bench/data-bench';
async function main() {
  const c = contextFromEnv(); const fgi = await loadFgiSeries(c);
  const med = async (label: string, f: () => Promise<unknown>) => {
    const t: number[] = []; for (let i = 0; i < 11; i++) { const s = performance.now(); await f(); t.push(performance.now() - s); }
    t.sort((a, b) => a - b); console.log(label, 'median', t[5].toFixed(1), 'ms; min', t[0].toFixed(1));
  };
  await med('ETH 4h with funding (buildSeries)', () => buildSeries(c, 'ETH', '4h', fgi));
  await med('ETH 4h without funding (funding=null)', () => buildSeries(c, 'ETH', '4h', fgi, null));
  await med('ETHUSDT funding only', () => loadFundingHistory(c, 'ETHUSDT'));
  await med('SOLUSDT funding only', () => loadFundingHistory(c, 'SOLUSDT'));
  await med('BTCUSDT funding only', () => loadFundingHistory(c, 'BTCUSDT'));
  console.log(JSON.stringify(Object.fromEntries(Object.entries(await benchData(true)).filter(([k]) => k !== 'runs'))));
}
main();
