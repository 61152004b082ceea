import { create } from 'zustand'
import type { Trace } from '../../model/trace.ts'

/**
 * "Show only these spans": set by a click on a statistics row or a critical-path row, read by
 * the waterfall. Span indexes only mean something for one `Trace` object, so the filter names
 * its trace; read it with `selectSpanFilter(state, trace)`, which ignores another trace's filter.
 */
export interface SpanFilter {
  readonly trace: Trace
  /** Span indexes in display order (ascending). */
  readonly indexes: Int32Array
  /** What the filter shows, in words, e.g. `service = checkout` or `critical path: db query`. */
  readonly label: string
}

interface SpanFilterState {
  readonly spanFilter: SpanFilter | undefined
  setSpanFilter(filter: SpanFilter | undefined): void
  /**
   * Moves the filter from one trace object to another with the same spans in the same order
   * (the clock-skew-adjusted copy of a trace), keeping it; a filter of any other trace is left alone.
   */
  rebase(from: Trace, to: Trace): void
}

export const useSpanFilterStore = create<SpanFilterState>()((set) => ({
  spanFilter: undefined,
  setSpanFilter: (spanFilter) => set({ spanFilter }),
  rebase: (from, to) => set((state) => (state.spanFilter?.trace === from ? { spanFilter: { ...state.spanFilter, trace: to } } : state)),
}))

/** The filter for `trace`, or undefined when there is none or it belongs to another trace. */
export function selectSpanFilter(state: { readonly spanFilter: SpanFilter | undefined }, trace: Trace): SpanFilter | undefined {
  return state.spanFilter?.trace === trace ? state.spanFilter : undefined
}
