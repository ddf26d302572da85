// Re-renders on every stats snapshot; returns a version number the charts key their updates on.
import { useEffect, useState } from 'preact/hooks';
import type { LiveStats } from './live';

export function useLive(live: LiveStats): number {
  const [version, setVersion] = useState(0);
  useEffect(() => live.subscribe(() => setVersion((v) => v + 1)), [live]);
  return version;
}
