import { useCallback, useEffect, useLayoutEffect, useState, type RefObject } from 'react';

/** Used until the viewport has been measured (and in test DOMs, which have no layout). */
const FALLBACK_VIEWPORT_PX = 640;

export interface VirtualRows {
  /** First and one-past-last index to render. */
  start: number;
  end: number;
  totalHeight: number;
  /** Scroll so row `index` is fully visible. */
  scrollToIndex: (index: number) => void;
}

/**
 * Fixed-height row virtualization: only the rows in view (plus `overscan`) are rendered,
 * so 100,000 rows cost the same as 30. Attach `scrollRef` to the scrolling element.
 */
export function useVirtualRows(scrollRef: RefObject<HTMLElement | null>, count: number, rowHeight: number, overscan = 8): VirtualRows {
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(FALLBACK_VIEWPORT_PX);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const measure = () => setViewport(el.clientHeight > 0 ? el.clientHeight : FALLBACK_VIEWPORT_PX);
    measure();
    const onScroll = () => setScrollTop(el.scrollTop);
    el.addEventListener('scroll', onScroll, { passive: true });
    let observer: ResizeObserver | null = null;
    if (typeof ResizeObserver !== 'undefined') {
      observer = new ResizeObserver(measure);
      observer.observe(el);
    }
    return () => {
      el.removeEventListener('scroll', onScroll);
      observer?.disconnect();
    };
  }, [scrollRef]);

  // When the list shrinks (new search), keep the scroll position meaningful.
  useEffect(() => {
    const el = scrollRef.current;
    if (el && el.scrollTop > count * rowHeight) {
      el.scrollTop = 0;
      setScrollTop(0);
    }
  }, [count, rowHeight, scrollRef]);

  const first = Math.floor(scrollTop / rowHeight);
  const visible = Math.ceil(viewport / rowHeight);
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + visible + overscan);

  const scrollToIndex = useCallback(
    (index: number) => {
      const el = scrollRef.current;
      if (!el) return;
      const top = index * rowHeight;
      const height = el.clientHeight || viewport;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + rowHeight > el.scrollTop + height) el.scrollTop = top + rowHeight - height;
      setScrollTop(el.scrollTop);
    },
    [scrollRef, rowHeight, viewport],
  );

  return { start, end, totalHeight: count * rowHeight, scrollToIndex };
}
