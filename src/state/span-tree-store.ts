import { create } from 'zustand'
import type { Trace } from '../model/trace.ts'

/**
 * Collapsed spans and the selected span of the open trace. Span indexes only mean something
 * for one `Trace` object, so the state remembers which; a different trace (another one, or the
 * same id rebuilt with more fragments) starts fresh. Read it with `selectTreeState`.
 */
interface SpanTreeState {
  readonly trace: Trace | undefined
  readonly collapsed: ReadonlySet<number>
  readonly selected: number | undefined

  toggle(trace: Trace, index: number): void
  setCollapsed(trace: Trace, collapsed: ReadonlySet<number>): void
  select(trace: Trace, index: number | undefined, collapsed?: ReadonlySet<number>): void
  /**
   * Moves the state of `from` to `to`, a trace with the same spans in the same order (the same
   * trace with clock skew adjusted, or back): span indexes keep their meaning.
   */
  rebase(from: Trace, to: Trace): void
}

const EMPTY: ReadonlySet<number> = new Set()

export const useSpanTreeStore = create<SpanTreeState>()((set) => ({
  trace: undefined,
  collapsed: EMPTY,
  selected: undefined,

  toggle: (trace, index) =>
    set((state) => {
      const collapsed = new Set(state.trace === trace ? state.collapsed : EMPTY)
      if (!collapsed.delete(index)) collapsed.add(index)
      return { trace, collapsed, selected: state.trace === trace ? state.selected : undefined }
    }),

  setCollapsed: (trace, collapsed) => set((state) => ({ trace, collapsed, selected: state.trace === trace ? state.selected : undefined })),

  select: (trace, index, collapsed) => set((state) => ({ trace, selected: index, collapsed: collapsed ?? (state.trace === trace ? state.collapsed : EMPTY) })),

  rebase: (from, to) => set((state) => (state.trace === from && from.spanCount === to.spanCount ? { trace: to } : {})),
}))

/** The state for `trace`: empty when the store holds another trace's. */
export function selectTreeState(state: SpanTreeState, trace: Trace): { collapsed: ReadonlySet<number>; selected: number | undefined } {
  return state.trace === trace ? { collapsed: state.collapsed, selected: state.selected } : { collapsed: EMPTY, selected: undefined }
}
