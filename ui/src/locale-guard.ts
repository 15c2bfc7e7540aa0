// Imported before anything else. Some browsers report a locale tag Intl rejects: headless Chromium
// under LANG=C.UTF-8 (containers, many WSL setups) says "en-US@posix". uPlot builds an
// Intl.NumberFormat from navigator.language as it loads, so that tag made the whole console a blank
// page (RangeError: Invalid language tag). Formatting falls back to the first valid tag, else en-US.

const valid = (tag: string | undefined): boolean => {
  if (!tag) return false;
  try {
    new Intl.NumberFormat(tag);
    return true;
  } catch {
    return false;
  }
};

const reported: string | undefined = navigator.language;
if (!valid(reported)) {
  // "en-US@posix" → "en-US": the part before a POSIX modifier is usually what was meant.
  const fallback = [reported?.split(/[@.]/)[0], ...(navigator.languages ?? [])].find((t): t is string => valid(t)) ?? 'en-US';
  try {
    Object.defineProperty(navigator, 'language', { configurable: true, get: () => fallback });
    Object.defineProperty(navigator, 'languages', { configurable: true, get: () => [fallback] });
  } catch {
    // A browser that will not let us: formatTime still catches its own RangeError.
  }
}

export {};
