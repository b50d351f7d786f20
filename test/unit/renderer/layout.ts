/**
 * happy-dom lays nothing out, so every element measures 0×0 and a virtual list would show no rows. The
 * component tests give every element a viewport-sized box instead.
 */
const SIZES = ['offsetHeight', 'offsetWidth', 'clientHeight', 'clientWidth'] as const;

export function fakeLayout(width = 1200, height = 600): () => void {
  const proto = HTMLElement.prototype;
  const saved = new Map(SIZES.map((key) => [key, Object.getOwnPropertyDescriptor(proto, key)]));
  const savedRect = Element.prototype.getBoundingClientRect;
  const savedObserver = window.ResizeObserver;
  for (const key of SIZES)
    Object.defineProperty(proto, key, {
      configurable: true,
      get: () => (key.endsWith('Width') ? width : height),
    });
  Element.prototype.getBoundingClientRect = function () {
    return {
      x: 0,
      y: 0,
      top: 0,
      left: 0,
      bottom: height,
      right: width,
      width,
      height,
      toJSON: () => ({}),
    } as DOMRect;
  };
  // happy-dom's ResizeObserver reports 0×0 boxes, which would shrink the list's viewport back to nothing.
  window.ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
  return () => {
    for (const [key, descriptor] of saved) {
      if (descriptor) Object.defineProperty(proto, key, descriptor);
      else delete (proto as unknown as Record<string, unknown>)[key];
    }
    Element.prototype.getBoundingClientRect = savedRect;
    window.ResizeObserver = savedObserver;
  };
}
