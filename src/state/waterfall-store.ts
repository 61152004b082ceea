import { create } from 'zustand'
import type { Trace } from '../model/trace.ts'

/**
 * The waterfall's per-trace state: search, filters and zoom window. Like `useSpanTreeStore`
 * it remembers which `Trace` object the state belongs to, and a different trace starts fresh.
 * Read it with `selectWaterfallState`.
 */

/** A visible time window in trace ns (offsets from the trace start); `undefined` shows the whole trace. */
export interface TimeWindow {
  readonly startNs: number
  readonly endNs: number
}

export interface WaterfallFilters {
  readonly query: string
  readonly isOnlyMatches: boolean
  readonly isCriticalOnly: boolean
  /** Service indexes whose spans are hidden. */
  readonly hiddenServices: ReadonlySet<number>
  readonly window: TimeWindow | undefined
}

interface WaterfallState extends WaterfallFilters {
  readonly trace: Trace | undefined
  update(trace: Trace, patch: Partial<WaterfallFilters>): void
  toggleService(trace: Trace, service: number): void
  /** Moves the state of `from` to `to`, the same spans in the same order (see `useSpanTreeStore.rebase`). */
  rebase(from: Trace, to: Trace): void
}

const EMPTY_SET: ReadonlySet<number> = new Set()

const INITIAL: WaterfallFilters = { query: '', isOnlyMatches: false, isCriticalOnly: false, hiddenServices: EMPTY_SET, window: undefined }

export const useWaterfallStore = create<WaterfallState>()((set) => ({
  trace: undefined,
  ...INITIAL,

  update: (trace, patch) => set((state) => ({ ...(state.trace === trace ? {} : INITIAL), ...patch, trace })),

  toggleService: (trace, service) =>
    set((state) => {
      const hidden = new Set(state.trace === trace ? state.hiddenServices : EMPTY_SET)
      if (!hidden.delete(service)) hidden.add(service)
      return { ...(state.trace === trace ? {} : INITIAL), hiddenServices: hidden, trace }
    }),

  rebase: (from, to) => set((state) => (state.trace === from && from.spanCount === to.spanCount ? { trace: to } : {})),
}))

/** The filters for `trace`: the defaults when the store holds another trace's. */
export function selectWaterfallState(state: WaterfallState, trace: Trace): WaterfallFilters {
  if (state.trace !== trace) return INITIAL
  return {
    query: state.query,
    isOnlyMatches: state.isOnlyMatches,
    isCriticalOnly: state.isCriticalOnly,
    hiddenServices: state.hiddenServices,
    window: state.window,
  }
}

/** The window clamped to the trace and at least `minNs` wide; the whole trace for `undefined`. */
export function resolveWindow(trace: Trace, window: TimeWindow | undefined, minNs = 1): TimeWindow {
  const durationNs = Math.max(trace.durationNs, minNs)
  if (!window) return { startNs: 0, endNs: durationNs }
  let width = Math.min(Math.max(window.endNs - window.startNs, minNs), durationNs)
  if (!Number.isFinite(width)) width = durationNs
  const startNs = Math.min(Math.max(window.startNs, 0), durationNs - width)
  return { startNs, endNs: startNs + width }
}
