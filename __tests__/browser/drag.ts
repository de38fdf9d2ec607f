/**
 * Mouse drags of the page's range inputs in Chromium, shared by the browser test and
 * `npm run bench:page`: the pointer is pressed on the handle of the current value and moved one
 * step of the input per mouse move.
 */
import type { Locator, Page } from 'playwright-core';

/** Thumb width of the threshold handles, px (components/ui/range-slider.module.css: 18 px wide, 28 px on a phone). */
const thumbWidth = (page: Page) => page.evaluate(() => (window.innerWidth <= 860 ? 28 : 18));

/** Centre (x, y) of the thumb of `input` at `value`, in viewport px. */
export async function thumbAt(page: Page, input: Locator, value: number): Promise<{ x: number; y: number }> {
  const [box, min, max, thumb] = await Promise.all([
    input.boundingBox(),
    input.getAttribute('min'),
    input.getAttribute('max'),
    thumbWidth(page),
  ]);
  if (!box) throw new Error('slider is not on screen');
  const ratio = (value - Number(min)) / (Number(max) - Number(min));
  return { x: box.x + thumb / 2 + ratio * (box.width - thumb), y: box.y + box.height / 2 };
}

/**
 * Presses the handle of `input` (now at `from`) and moves it `steps` values by `direction`
 * (+1 right, −1 left), one mouse move per value, then releases it. `pauseMs` is the wait after
 * each move, ms: a number, or a function of the step (1 … steps) for drags that dwell now and then.
 */
export async function dragHandle(
  page: Page,
  input: Locator,
  from: number,
  steps: number,
  direction: 1 | -1,
  pauseMs: number | ((step: number) => number) = 16,
): Promise<void> {
  await input.scrollIntoViewIfNeeded();
  const start = await thumbAt(page, input, from);
  const end = await thumbAt(page, input, from + direction * steps);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(start.x + ((end.x - start.x) * i) / steps, start.y);
    const pause = typeof pauseMs === 'function' ? pauseMs(i) : pauseMs;
    if (pause) await page.waitForTimeout(pause);
  }
  await page.mouse.up();
}
