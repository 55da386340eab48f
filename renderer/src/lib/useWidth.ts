/** The width in CSS pixels of an element, from a ResizeObserver, settled (debounced) by `delayMs`. */
import { useEffect, useState } from 'react';
import type { RefObject } from 'react';

export function useWidth(ref: RefObject<HTMLElement | null>, delayMs = 250): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const apply = (w: number) => setWidth((prev) => (Math.abs(prev - w) >= 1 ? Math.floor(w) : prev));
    apply(el.getBoundingClientRect().width);
    const observer = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width ?? 0;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => apply(w), delayMs);
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      if (timer) clearTimeout(timer);
    };
  }, [ref, delayMs]);
  return width;
}
