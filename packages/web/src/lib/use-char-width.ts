import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * A character of the UI's sans-serif font, in em: on the wide side (lowercase averages about 0.5, and an
 * e-mail's `@` and `m` about 0.62), so the text rarely overflows.
 */
const CHAR_EM = 0.7;

/**
 * How many characters fit across an element, kept up to date as it resizes: attach the returned ref to
 * the element whose width bounds the text (`fallback` until it is measured).
 */
export function useCharWidth<T extends HTMLElement>(fallback: number): [(element: T | null) => void, number] {
  const [chars, setChars] = useState(fallback);
  const observer = useRef<ResizeObserver | null>(null);
  const ref = useCallback((element: T | null): void => {
    observer.current?.disconnect();
    observer.current = null;
    if (!element) return;
    const measure = (): void => {
      const style = getComputedStyle(element);
      const font = Number.parseFloat(style.fontSize) || 14;
      const padding =
        (Number.parseFloat(style.paddingLeft) || 0) + (Number.parseFloat(style.paddingRight) || 0);
      const width = element.clientWidth - padding;
      if (width > 0) setChars(Math.floor(width / (font * CHAR_EM)));
    };
    measure();
    observer.current = new ResizeObserver(measure);
    observer.current.observe(element);
  }, []);
  useEffect(() => () => observer.current?.disconnect(), []);
  return [ref, chars];
}
