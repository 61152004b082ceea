import { create } from 'zustand'

/**
 * Waterfall preferences that outlive a trace and a visit: time zone of the header, the width of
 * the span-tree column, whether critical path strips are drawn. Saved in localStorage.
 */

export type TimeMode = 'local' | 'utc'

export interface WaterfallPrefs {
  readonly timeMode: TimeMode
  /** Width of the span-tree column as a fraction of the waterfall. */
  readonly treeFraction: number
  readonly isCriticalPathShown: boolean
}

interface WaterfallPrefsState extends WaterfallPrefs {
  setPrefs(patch: Partial<WaterfallPrefs>): void
}

const STORAGE_KEY = 'spanglass-waterfall-prefs'

const DEFAULTS: WaterfallPrefs = { timeMode: 'local', treeFraction: 0.36, isCriticalPathShown: true }

function readSaved(): WaterfallPrefs {
  try {
    const saved: unknown = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? 'null')
    if (typeof saved !== 'object' || saved === null) return DEFAULTS
    const record = saved as Record<string, unknown>
    return {
      timeMode: record.timeMode === 'utc' ? 'utc' : 'local',
      treeFraction:
        typeof record.treeFraction === 'number' && record.treeFraction > 0.05 && record.treeFraction < 0.95 ? record.treeFraction : DEFAULTS.treeFraction,
      isCriticalPathShown: typeof record.isCriticalPathShown === 'boolean' ? record.isCriticalPathShown : DEFAULTS.isCriticalPathShown,
    }
  } catch {
    return DEFAULTS // storage disabled or unreadable
  }
}

export const useWaterfallPrefsStore = create<WaterfallPrefsState>()((set, get) => ({
  ...(typeof window === 'undefined' ? DEFAULTS : readSaved()),
  setPrefs: (patch) => {
    set(patch)
    const { timeMode, treeFraction, isCriticalPathShown } = get()
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify({ timeMode, treeFraction, isCriticalPathShown }))
    } catch {
      // Storage disabled: the choice lasts for this page only.
    }
  },
}))
