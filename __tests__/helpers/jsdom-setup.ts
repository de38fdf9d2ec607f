import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => cleanup());

// recharts' ResponsiveContainer needs ResizeObserver, which jsdom lacks.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= ResizeObserverStub as unknown as typeof ResizeObserver;

// jsdom lays nothing out (every box is 0 × 0): give elements a size so recharts'
// ResponsiveContainer draws its charts, 800 × 300 px.
HTMLElement.prototype.getBoundingClientRect = () => new DOMRect(0, 0, 800, 300);
