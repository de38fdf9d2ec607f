import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { ThresholdSlider } from '@/components/threshold-slider/threshold-slider';
import { DEFAULT_CONTROLS, updateControls, type Controls } from '@/lib/client/controls';

/** The slider over the page's controls state, patched through updateControls as the page does. */
function Harness({ initial, extremesAllowed = true }: { initial: Partial<Controls>; extremesAllowed?: boolean }) {
  const [controls, setControls] = useState<Controls>({ ...DEFAULT_CONTROLS, ...initial });
  return <ThresholdSlider values={controls} extremesAllowed={extremesAllowed} onChange={(patch) => setControls((c) => updateControls(c, patch))} />;
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

  it('announces the range each handle can really take, given the other handle', () => {
    render(<Harness initial={{}} />);
    expect(low()).toHaveAttribute('aria-valuemin', '1');
    expect(low()).toHaveAttribute('aria-valuemax', '74');
    expect(high()).toHaveAttribute('aria-valuemin', '26');
    expect(high()).toHaveAttribute('aria-valuemax', '100');
    fireEvent.change(high(), { target: { value: '40' } });
    expect(low()).toHaveAttribute('aria-valuemax', '39');
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

    // Moving low below / high above an extreme threshold pushes it along (the value shown, not
    // just the input, which the browser clamps to its bounds on its own).
    fireEvent.change(low(), { target: { value: '5' } });
    expect(extremeLow).toHaveAttribute('aria-valuetext', '5');
    fireEvent.change(high(), { target: { value: '95' } });
    expect(extremeHigh).toHaveAttribute('aria-valuetext', '95');
    fireEvent.change(low(), { target: { value: '20' } });
    expect(extremeLow).toHaveAttribute('aria-valuetext', '5');
  });
});

describe('two-handle slider: which handle is on top', () => {
  const onTop = () => [low().getAttribute('data-on-top'), high().getAttribute('data-on-top')];

  it('puts the handle pressed or focused last on top, so close handles stay reachable', () => {
    render(<Harness initial={{ low: 49, high: 51 }} />);
    expect(onTop()).toEqual(['false', 'true']);
    fireEvent.pointerDown(low());
    expect(onTop()).toEqual(['true', 'false']);
    fireEvent.pointerDown(high());
    expect(onTop()).toEqual(['false', 'true']);
    fireEvent.focus(low());
    expect(onTop()).toEqual(['true', 'false']);
  });

  it('keeps the low handle on top near the top end until another is pressed, and whenever high is at 100', () => {
    render(<Harness initial={{ low: 95, high: 98 }} />);
    expect(onTop()).toEqual(['true', 'false']);
    fireEvent.pointerDown(high());
    expect(onTop()).toEqual(['false', 'true']);
    fireEvent.change(high(), { target: { value: '100' } });
    expect(onTop()).toEqual(['true', 'false']);
  });
});
