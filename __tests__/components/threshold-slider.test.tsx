import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { ThresholdSlider, type ThresholdValues } from '@/components/threshold-slider/threshold-slider';

function Harness({ initial, extremesAllowed = true }: { initial: Partial<ThresholdValues>; extremesAllowed?: boolean }) {
  const [values, setValues] = useState<ThresholdValues>({
    low: 25,
    high: 75,
    extremeEnabled: false,
    extremeLow: 10,
    extremeHigh: 90,
    ...initial,
  });
  return <ThresholdSlider values={values} extremesAllowed={extremesAllowed} onChange={(patch) => setValues((v) => ({ ...v, ...patch }))} />;
}

const low = () => screen.getByRole('slider', { name: 'Low threshold' }) as HTMLInputElement;
const high = () => screen.getByRole('slider', { name: 'High threshold' }) as HTMLInputElement;

describe('two-handle threshold slider', () => {
  it('has two labelled handles over 1..100 showing their values', () => {
    render(<Harness initial={{}} />);
    expect(low()).toHaveAttribute('min', '1');
    expect(low()).toHaveAttribute('max', '100');
    expect(low().value).toBe('25');
    expect(high().value).toBe('75');
    expect(low()).toHaveAttribute('aria-valuetext', '25, fear at or below');
    expect(screen.getByText('Low threshold')).toBeVisible();
  });

  // Arrow keys on the native inputs are the browser's (jsdom has none): covered by
  // __tests__/browser/page.test.ts. Here the inputs' change events drive the handles.
  it('moves each handle independently', () => {
    render(<Harness initial={{}} />);
    fireEvent.change(low(), { target: { value: '28' } });
    expect(low().value).toBe('28');
    expect(high().value).toBe('75');
    fireEvent.change(high(), { target: { value: '74' } });
    expect(high().value).toBe('74');
    expect(low().value).toBe('28');
  });

  it('never lets the low handle reach the high one', () => {
    render(<Harness initial={{ low: 49, high: 51 }} />);
    fireEvent.change(low(), { target: { value: '50' } });
    expect(low().value).toBe('50');
    fireEvent.change(low(), { target: { value: '51' } });
    expect(low().value).toBe('50');
    fireEvent.change(low(), { target: { value: '90' } });
    expect(low().value).toBe('50');
    fireEvent.change(high(), { target: { value: '20' } });
    expect(high().value).toBe('51');
  });

  it('keeps extreme thresholds inside their bounds and offers them for contrarian only', async () => {
    const { unmount } = render(<Harness initial={{}} extremesAllowed={false} />);
    expect(screen.getByRole('checkbox', { name: /extreme thresholds/i })).toBeDisabled();
    unmount();

    render(<Harness initial={{}} />);
    await userEvent.setup().click(screen.getByRole('checkbox', { name: /extreme thresholds/i }));
    const extremeLow = screen.getByRole('slider', { name: 'Extreme low' });
    const extremeHigh = screen.getByRole('slider', { name: 'Extreme high' });
    expect(extremeLow).toHaveAttribute('max', '25');
    expect(extremeHigh).toHaveAttribute('min', '75');
  });
});
