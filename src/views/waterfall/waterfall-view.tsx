import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { Trace } from '../../model/trace.ts'
import { selectTreeState, useSpanTreeStore } from '../../state/span-tree-store.ts'
import { useWaterfallPrefsStore } from '../../state/waterfall-prefs-store.ts'
import { resolveWindow, selectWaterfallState, useWaterfallStore } from '../../state/waterfall-store.ts'
import type { TimeWindow } from '../../state/waterfall-store.ts'
import { formatCount, formatDurationNs } from '../../ui/format.ts'
import { pickServiceColor } from '../../ui/service-color.ts'
import { BUTTON_CLASS } from '../../ui/styles.ts'
import { selectSpanFilter, useSpanFilterStore } from '../statistics/span-filter-store.ts'
import type { TraceViewProps } from '../trace/trace-views.ts'
import {
  collapseAll,
  collapseBelowDepth,
  collapseSubtree,
  expandSubtree,
  findSpanRow,
  intersectKeep,
  layoutWaterfall,
  markWithAncestors,
  moveSelection,
  revealSpan,
  toggleCollapsed,
} from './layout.ts'
import type { MoveKey } from './layout.ts'
import { matchMask, nextMatchFrom, parseSearch } from './search.ts'
import { ShortcutHelp } from './shortcut-help.tsx'
import { countSpansPerService, getCriticalStrips } from './trace-derived.ts'
import { searchNow, useTraceSearch } from './use-trace-search.ts'
import { SearchBox, ServiceLegend, ToggleButton } from './waterfall-toolbar.tsx'
import { WaterfallViewport } from './waterfall-viewport.tsx'
import type { ViewportActions, ViewportHandle } from './waterfall-viewport.tsx'
import { windowAroundSpan, zoomWindow } from './zoom.ts'

/** How the next selection change should scroll: a click needs none, a jump centres its row. */
type ScrollIntent = 'none' | 'auto' | 'center'

const MOVE_KEYS: Readonly<Record<string, MoveKey>> = {
  ArrowDown: 'down',
  j: 'down',
  ArrowUp: 'up',
  k: 'up',
  PageDown: 'pageDown',
  PageUp: 'pageUp',
  Home: 'home',
  End: 'end',
  ArrowLeft: 'left',
  h: 'left',
  ArrowRight: 'right',
  l: 'right',
  ' ': 'toggle',
}

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement
}

/**
 * The waterfall: a span-tree column and a timeline column over a minimap, with search, service
 * filter, critical path and zoom. Rows come from `layoutWaterfall` (pure); drawing from
 * `renderer.ts`; this component wires the stores, the keyboard and the toolbar.
 */
export function WaterfallView({ trace }: TraceViewProps) {
  const { collapsed, selected } = useSpanTreeStore(useShallow((state) => selectTreeState(state, trace)))
  const select = useSpanTreeStore((state) => state.select)
  const setCollapsed = useSpanTreeStore((state) => state.setCollapsed)
  const filters = useWaterfallStore(useShallow((state) => selectWaterfallState(state, trace)))
  const update = useWaterfallStore((state) => state.update)
  const toggleService = useWaterfallStore((state) => state.toggleService)
  const isCriticalPathShown = useWaterfallPrefsStore((state) => state.isCriticalPathShown)
  const setPrefs = useWaterfallPrefsStore((state) => state.setPrefs)
  const [isHelpOpen, setHelpOpen] = useState(false)
  const viewportRef = useRef<ViewportHandle | null>(null)
  const searchRef = useRef<HTMLInputElement>(null)
  const rootRef = useRef<HTMLDivElement>(null)
  const scrollIntentRef = useRef<ScrollIntent>('center')

  // Derived data, each memoized on what it reads.
  const serviceColors = useMemo(() => trace.services.map((service) => pickServiceColor(service)), [trace])
  const spanCounts = useMemo(() => countSpansPerService(trace), [trace])
  const query = filters.query.trim()
  const { matches, isSearching } = useTraceSearch(trace, query)
  const mask = useMemo(() => (matches ? matchMask(trace, matches) : undefined), [trace, matches])
  const markText = useMemo(() => parseSearch(query).find((term) => term.kind === 'text')?.text, [query])

  // The critical path costs a sort over the trace (20–30 ms at 100,000 spans): computed once the
  // rows are on screen, then cached per trace. Waiting for the viewport's first drawing, not
  // just a frame: the rows take a layout and a render of their own before they can be drawn.
  const needsCritical = isCriticalPathShown || filters.isCriticalOnly
  const [criticalFor, setCriticalFor] = useState<Trace>()
  const [paintedFor, setPaintedFor] = useState<Trace>()
  // Already computed (an earlier visit to this view, or the same trace before its details came): used at once.
  const cachedCritical = needsCritical ? getCriticalStrips.peek(trace) : undefined
  useEffect(() => {
    if (!needsCritical || criticalFor === trace || cachedCritical || paintedFor !== trace) return
    // After the next paint: a frame, then a task.
    let timer = 0
    const frame = requestAnimationFrame(() => {
      timer = window.setTimeout(() => {
        getCriticalStrips(trace)
        setCriticalFor(trace)
      }, 0)
    })
    return () => {
      cancelAnimationFrame(frame)
      window.clearTimeout(timer)
    }
  }, [needsCritical, criticalFor, cachedCritical, paintedFor, trace])
  const critical = cachedCritical ?? (needsCritical && criticalFor === trace ? getCriticalStrips(trace) : undefined)

  const matchKeep = useMemo(
    () => (filters.isOnlyMatches && mask ? markWithAncestors(trace, (i) => mask[i] === 1) : undefined),
    [trace, filters.isOnlyMatches, mask],
  )
  const criticalKeep = useMemo(
    () => (filters.isCriticalOnly && critical ? markWithAncestors(trace, (i) => (critical.path.criticalNs[i] as number) > 0) : undefined),
    [trace, filters.isCriticalOnly, critical],
  )
  // "Show only these spans" from the statistics and critical-path tables.
  const spanFilter = useSpanFilterStore((state) => selectSpanFilter(state, trace))
  const setSpanFilter = useSpanFilterStore((state) => state.setSpanFilter)
  const filterKeep = useMemo(() => {
    if (!spanFilter) return undefined
    const marked = new Uint8Array(trace.spanCount)
    for (const index of spanFilter.indexes) marked[index] = 1
    return markWithAncestors(trace, (i) => marked[i] === 1)
  }, [trace, spanFilter])
  const keep = useMemo(() => intersectKeep(intersectKeep(matchKeep, criticalKeep), filterKeep), [matchKeep, criticalKeep, filterKeep])
  const layout = useMemo(
    () => layoutWaterfall(trace, { collapsed, hiddenServices: filters.hiddenServices, keep }),
    [trace, collapsed, filters.hiddenServices, keep],
  )
  const selectedRow = selected === undefined ? -1 : findSpanRow(layout, selected)
  const window_ = useMemo(() => resolveWindow(trace, filters.window), [trace, filters.window])
  const isZoomed = filters.window !== undefined

  // Actions.
  const selectSpan = useCallback(
    (index: number | undefined, intent: ScrollIntent) => {
      scrollIntentRef.current = intent
      select(trace, index)
    },
    [select, trace],
  )
  const setWindow = useCallback((window: TimeWindow | undefined) => update(trace, { window }), [update, trace])
  const actions = useMemo<ViewportActions>(
    () => ({
      select: (index) => selectSpan(index, 'none'),
      toggle: (index, isWholeSubtree) => {
        const current = selectTreeState(useSpanTreeStore.getState(), trace).collapsed
        if (!isWholeSubtree) setCollapsed(trace, toggleCollapsed(current, index))
        else setCollapsed(trace, current.has(index) ? expandSubtree(trace, current, index) : collapseSubtree(trace, current, index))
      },
      zoomToSpan: (index) => setWindow(windowAroundSpan(trace, index)),
      setWindow,
      showServices: (services) => {
        const hidden = new Set(selectWaterfallState(useWaterfallStore.getState(), trace).hiddenServices)
        for (const service of services) hidden.delete(service)
        update(trace, { hiddenServices: hidden })
      },
    }),
    [selectSpan, setCollapsed, setWindow, trace, update],
  )

  // A new selection from anywhere (keyboard, search, warnings, another view, the URL) opens its
  // collapsed ancestors once, then scrolls to it as its cause asks.
  const revealedRef = useRef<{ trace: Trace; index: number } | undefined>(undefined)
  useEffect(() => {
    if (selected === undefined) return
    const handled = revealedRef.current
    if (handled?.trace === trace && handled.index === selected) return
    revealedRef.current = { trace, index: selected }
    const revealed = revealSpan(trace, collapsed, selected)
    if (revealed !== collapsed) setCollapsed(trace, revealed)
  }, [trace, selected, collapsed, setCollapsed])
  useEffect(() => {
    if (selected === undefined || selectedRow < 0) return
    const intent = scrollIntentRef.current
    scrollIntentRef.current = 'center'
    if (intent !== 'none') viewportRef.current?.scrollToRow(selectedRow, intent)
  }, [selected, selectedRow])

  // "Next match" asked while a large trace's search runs: done when its answer arrives.
  const pendingJumpRef = useRef<{ readonly query: string; readonly direction: 1 | -1 }>(undefined)
  const goToMatch = useCallback(
    (direction: 1 | -1) => {
      const current = selectWaterfallState(useWaterfallStore.getState(), trace).query.trim()
      const found = current === '' ? undefined : searchNow(trace, current)
      pendingJumpRef.current = current !== '' && found === undefined ? { query: current, direction } : undefined
      if (!found || found.length === 0) return
      const at = nextMatchFrom(found, selectTreeState(useSpanTreeStore.getState(), trace).selected, direction)
      if (at >= 0) selectSpan(found[at] as number, 'center')
    },
    [trace, selectSpan],
  )

  useEffect(() => {
    const pending = pendingJumpRef.current
    if (pending === undefined || matches === undefined || pending.query !== query) return
    pendingJumpRef.current = undefined
    goToMatch(pending.direction)
  }, [matches, query, goToMatch])

  const zoomBy = useCallback(
    (factor: number) => {
      const state = selectWaterfallState(useWaterfallStore.getState(), trace)
      const visible = resolveWindow(trace, state.window)
      const current = selectTreeState(useSpanTreeStore.getState(), trace).selected
      let anchorNs = viewportRef.current?.hoverNs()
      if (anchorNs === undefined && current !== undefined) {
        const center = (trace.startOffsetNs[current] as number) + (trace.durationsNs[current] as number) / 2
        if (center >= visible.startNs && center <= visible.endNs) anchorNs = center
      }
      setWindow(zoomWindow(trace, visible, factor, anchorNs ?? (visible.startNs + visible.endNs) / 2))
    },
    [trace, setWindow],
  )

  const layoutRef = useRef(layout)
  useEffect(() => {
    layoutRef.current = layout
  })

  // Keys: navigation when the waterfall (or nothing) has focus, global shortcuts anywhere but in a text field.
  const handleKey = useCallback(
    (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return
      if (isEditable(event.target)) return
      // A dialog (the shortcut list) has the keyboard.
      if (event.target instanceof Element && event.target.closest('[role="dialog"]')) return
      const target = event.target as Node | null
      const isInWaterfall = target === document.body || target === document.documentElement || (rootRef.current?.contains(target) ?? false)
      const isOnControl = target instanceof HTMLButtonElement || target instanceof HTMLAnchorElement
      const key = event.key
      const state = selectTreeState(useSpanTreeStore.getState(), trace)
      const handled = () => event.preventDefault()

      if (key === '?') return (handled(), setHelpOpen(true))
      if (key === '/') return (handled(), searchRef.current?.focus(), searchRef.current?.select())
      if (key === 'Escape') {
        if (state.selected !== undefined) return (handled(), selectSpan(undefined, 'none'))
        if (selectWaterfallState(useWaterfallStore.getState(), trace).query !== '') return (handled(), update(trace, { query: '' }))
        return
      }
      if (!isInWaterfall) return
      if (key === '+' || key === '=') return (handled(), zoomBy(0.5))
      if (key === '-' || key === '_') return (handled(), zoomBy(2))
      if (key === '0') return (handled(), setWindow(undefined))
      if (key === 'n' || key === 'N') return (handled(), goToMatch(key === 'N' ? -1 : 1))
      if (key === 'c') return (handled(), setPrefs({ isCriticalPathShown: !useWaterfallPrefsStore.getState().isCriticalPathShown }))
      if (isOnControl && (key === 'Enter' || key === ' ')) return
      if (key === 'Enter') {
        if (state.selected === undefined) return
        handled()
        const details = document.querySelector<HTMLElement>('[data-testid="span-details"]')
        details?.focus({ preventScroll: true })
        details?.scrollIntoView({ block: 'nearest' })
        return
      }
      if (event.shiftKey && (key === 'ArrowLeft' || key === 'ArrowRight')) {
        if (state.selected === undefined) return
        handled()
        setCollapsed(
          trace,
          key === 'ArrowLeft' ? collapseSubtree(trace, state.collapsed, state.selected) : expandSubtree(trace, state.collapsed, state.selected),
        )
        return
      }
      const move = MOVE_KEYS[key]
      if (!move) return
      handled()
      const current = layoutRef.current
      const result = moveSelection(trace, current, state.collapsed, state.selected, move, viewportRef.current?.pageRows() ?? 20)
      if (result.toggle !== undefined) setCollapsed(trace, toggleCollapsed(state.collapsed, result.toggle))
      if (result.select !== undefined) selectSpan(result.select, 'auto')
    },
    [trace, selectSpan, update, zoomBy, setWindow, goToMatch, setPrefs, setCollapsed],
  )
  useEffect(() => {
    document.addEventListener('keydown', handleKey)
    return () => document.removeEventListener('keydown', handleKey)
  }, [handleKey])

  const matchCount = matches?.length ?? 0
  const matchPosition = useMemo(() => {
    if (!matches || selected === undefined || mask?.[selected] !== 1) return 0
    return indexInSorted(matches, selected) + 1
  }, [matches, mask, selected])
  const maxLevels = Math.min(trace.maxDepth + 1, 5)
  const hiddenRows = trace.spanCount - layout.rows.length

  const header = (
    <div className="flex h-full flex-col justify-center gap-1 px-2 text-[11px] text-zinc-600 dark:text-zinc-300">
      <div className="flex items-center gap-1">
        <button
          type="button"
          data-testid="zoom-out"
          className={`${BUTTON_CLASS} !px-1.5 !py-0`}
          onClick={() => zoomBy(2)}
          disabled={!isZoomed}
          title="Zoom out (−)"
          aria-label="Zoom out"
        >
          −
        </button>
        <button
          type="button"
          data-testid="zoom-in"
          className={`${BUTTON_CLASS} !px-1.5 !py-0`}
          onClick={() => zoomBy(0.5)}
          title="Zoom in (+)"
          aria-label="Zoom in"
        >
          +
        </button>
        <button
          type="button"
          data-testid="zoom-reset"
          className={`${BUTTON_CLASS} !px-1.5 !py-0`}
          onClick={() => setWindow(undefined)}
          disabled={!isZoomed}
          title="Show the whole trace (0)"
        >
          Reset
        </button>
        <span data-testid="zoom-window" className="min-w-0 truncate tabular-nums">
          {isZoomed
            ? `${formatDurationNs(window_.startNs)} – ${formatDurationNs(window_.endNs)} of ${formatDurationNs(trace.durationNs)}`
            : `0 – ${formatDurationNs(trace.durationNs)}`}
        </span>
      </div>
      <span
        className="truncate text-zinc-500 dark:text-zinc-400"
        title="Ctrl/⌘ + wheel (or pinch) over the timeline zooms; Shift + wheel pans; drag on the timeline, ruler or minimap to zoom into a range"
      >
        Ctrl+wheel zoom · Shift+wheel pan · drag to zoom
      </span>
    </div>
  )

  return (
    <div ref={rootRef} className="flex min-h-0 min-w-0 flex-1 flex-col">
      <div className="flex shrink-0 flex-col gap-1.5 border-b border-zinc-200 bg-white px-3 py-1.5 dark:border-zinc-800 dark:bg-zinc-900">
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
          <SearchBox
            key={trace.traceId}
            query={filters.query}
            onQueryChange={(value) => update(trace, { query: value, ...(value.trim() === '' ? { isOnlyMatches: false } : {}) })}
            matchCount={matchCount}
            matchPosition={matchPosition}
            isSearching={isSearching}
            onNext={goToMatch}
            isOnlyMatches={filters.isOnlyMatches}
            onOnlyMatchesChange={(value) => update(trace, { isOnlyMatches: value })}
            inputRef={searchRef}
          />
          <div className="flex items-center gap-1">
            <button
              type="button"
              data-testid="expand-all"
              className={BUTTON_CLASS}
              onClick={() => setCollapsed(trace, new Set())}
              disabled={collapsed.size === 0}
            >
              Expand all
            </button>
            <button type="button" data-testid="collapse-all" className={BUTTON_CLASS} onClick={() => setCollapsed(trace, collapseAll(trace))}>
              Collapse all
            </button>
            {maxLevels > 2 && (
              <span className="ml-1 flex items-center gap-0.5 text-xs text-zinc-500 dark:text-zinc-400">
                Levels
                {Array.from({ length: maxLevels - 1 }, (_, level) => (
                  <button
                    key={level}
                    type="button"
                    data-testid={`level-${level + 1}`}
                    className={`${BUTTON_CLASS} !px-1.5`}
                    onClick={() => setCollapsed(trace, collapseBelowDepth(trace, level))}
                    title={`Show ${level + 1} level${level === 0 ? '' : 's'}`}
                  >
                    {level + 1}
                  </button>
                ))}
              </span>
            )}
          </div>
          <div className="flex items-center gap-1">
            <ToggleButton
              testId="critical-path-toggle"
              isPressed={isCriticalPathShown}
              onChange={(value) => setPrefs({ isCriticalPathShown: value })}
              title="Dark strips on the bars mark the critical path: the work that decided when the trace finished (c)"
            >
              <span className="inline-block h-1 w-3 rounded-sm bg-zinc-900 dark:bg-zinc-100" aria-hidden="true" />
              Critical path
            </ToggleButton>
            <ToggleButton
              testId="critical-only-toggle"
              isPressed={filters.isCriticalOnly}
              onChange={(value) => update(trace, { isCriticalOnly: value })}
              title="Show only the spans on the critical path, with their ancestors"
            >
              Critical only
            </ToggleButton>
          </div>
          {spanFilter && (
            <span
              data-testid="waterfall-span-filter"
              className="flex items-center gap-1 rounded-md border border-indigo-300 bg-indigo-50 px-2 py-0.5 text-xs text-indigo-900 dark:border-indigo-700 dark:bg-indigo-950 dark:text-indigo-100"
            >
              Only {formatCount(spanFilter.indexes.length)} spans: {spanFilter.label}
              <button
                type="button"
                data-testid="waterfall-span-filter-clear"
                onClick={() => setSpanFilter(undefined)}
                aria-label="Show all spans again"
                className="ml-1 rounded px-1 hover:bg-indigo-100 dark:hover:bg-indigo-900"
              >
                ×
              </button>
            </span>
          )}
          <span className="ml-auto flex items-center gap-2 text-xs text-zinc-500 tabular-nums dark:text-zinc-400">
            <span data-testid="row-count">
              {hiddenRows === 0 ? `${formatCount(trace.spanCount)} spans` : `${formatCount(layout.rows.length)} rows of ${formatCount(trace.spanCount)} spans`}
            </span>
            <button
              type="button"
              className={`${BUTTON_CLASS} !px-2`}
              onClick={() => setHelpOpen(true)}
              title="Keyboard shortcuts (?)"
              aria-label="Keyboard shortcuts"
            >
              ?
            </button>
          </span>
        </div>
        <ServiceLegend
          trace={trace}
          colors={serviceColors}
          spanCounts={spanCounts}
          hidden={filters.hiddenServices}
          onToggle={(service) => toggleService(trace, service)}
          onSolo={(service) => update(trace, { hiddenServices: new Set(trace.services.map((_, i) => i).filter((i) => i !== service)) })}
          onShowAll={() => update(trace, { hiddenServices: new Set() })}
        />
      </div>
      <WaterfallViewport
        trace={trace}
        layout={layout}
        collapsed={collapsed}
        selected={selected}
        selectedRow={selectedRow}
        matches={mask}
        markText={markText}
        critical={isCriticalPathShown ? critical : undefined}
        window={window_}
        isZoomed={isZoomed}
        serviceColors={serviceColors}
        actions={actions}
        handleRef={viewportRef}
        header={header}
        onPainted={setPaintedFor}
      />
      {isHelpOpen && <ShortcutHelp onClose={() => setHelpOpen(false)} />}
    </div>
  )
}

/** Position of a value in a sorted Int32Array, or -1. */
function indexInSorted(values: Int32Array, value: number): number {
  let low = 0
  let high = values.length - 1
  while (low <= high) {
    const mid = (low + high) >>> 1
    const at = values[mid] as number
    if (at === value) return mid
    if (at < value) low = mid + 1
    else high = mid - 1
  }
  return -1
}
