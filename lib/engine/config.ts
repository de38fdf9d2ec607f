/**
 * Every constant of the trading model (SPEC §3) in one typed object, so a test or a what-if run
 * can pass its own and nothing is hidden in the simulation. Client-safe.
 */

/** Model constants of one backtest run. Rates are fractions (0.0005 = 0.05 %), money in USDT. */
export interface EngineConfig {
  /** Starting cash, USDT. SPEC §3: 10,000 USDT. */
  capital: number;
  /** Share of cash posted as isolated margin at each open (fraction). SPEC §3: 95 %. */
  marginFraction: number;
  /** Taker fee per fill as a fraction of notional (Q × price). Binance USDT-M taker: 0.05 %. */
  takerFeeRate: number;
  /** Funding rate per 8 h as a fraction of notional (Q × close). Binance standard: 0.01 % per 8 h. */
  fundingRatePer8h: number;
  /**
   * Maintenance margin rate (fraction) in the liquidation price E·(1 ∓ 1/L)/(1 ∓ MMR).
   * Binance USDT-M lowest notional tier: 0.5 %.
   */
  maintenanceMarginRate: number;
  /** Trading stops once equity at a bar close is below this fraction of capital. SPEC §3: 1 %. */
  stopEquityFraction: number;
  /** Length of the default (trailing) window, days of bar open times. SPEC §3: 90. */
  defaultWindowDays: number;
  /** Most chart points in a BacktestDetail. SPEC §6: 600. */
  maxDetailPoints: number;
}

/** The defaults of SPEC §3 (Binance USDT-M perpetuals, isolated margin). Frozen. */
export const DEFAULT_ENGINE_CONFIG: Readonly<EngineConfig> = Object.freeze({
  capital: 10_000,
  marginFraction: 0.95,
  takerFeeRate: 0.0005,
  fundingRatePer8h: 0.0001,
  maintenanceMarginRate: 0.005,
  stopEquityFraction: 0.01,
  defaultWindowDays: 90,
  maxDetailPoints: 600,
});
