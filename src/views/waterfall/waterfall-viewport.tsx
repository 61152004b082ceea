import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import type { MouseEvent as ReactMouseEvent, PointerEvent as ReactPointerEvent, ReactNode, RefObject } from 'react'
import { hasSpanDetails } from '../../model/trace.ts'
import type { Trace } from '../../model/trace.ts'
import { useThemeStore } from '../../state/theme-store.ts'
import { useWaterfallPrefsStore } from '../../state/waterfall-prefs-store.ts'
import type { TimeWindow } from '../../state/waterfall-store.ts'
import { formatDurationNs } from '../../ui/format.ts'
import { RowKind } from './layout.ts'
import type { WaterfallLayout } from './layout.ts'
import { Minimap } from './minimap.tsx'
import { DARK_CANVAS_THEME, drawOverlay, drawTimeline, LIGHT_CANVAS_THEME, prepareCanvas, ROW_HEIGHT_PX, TextWidthCache, visibleRowRange } from './renderer.ts'
import type { OverlayScene, TimelineScene } from './renderer.ts'
import { chooseRulerTicks, formatTickNs } from './ruler.ts'
import type { CriticalStrips } from './trace-derived.ts'
import { rowElementId } from './row-id.ts'
import { HiddenRow, TreeRow } from './tree-rows.tsx'
import { clampWindow, panWindow, zoomWindow } from './zoom.ts'

/**
 * The scrolling part of the waterfall: minimap and ruler on top, then the span-tree column
 * (virtualized DOM rows) and the timeline column (canvas), split by a draggable divider.
 *
 * Layout. The scroll container holds a spacer as tall as the rows and, inside it, a sticky
 * viewport as tall as the container. Nothing scrolls by itself: the viewport draws the rows at
 * the scroll position, so both columns always show the same rows. Past `MAX_SCROLL_PX` (about
 * 330,000 rows; browsers cap element heights near 16–33 M px) the scrollbar is scaled: a
 * million rows stay reachable.
 *
 * Drawing. The timeline canvas (bars) and the overlay canvas (hover, selection, time cursor,
 * drag-to-zoom band) are redrawn at most once per animation frame, each only when its inputs
 * changed.
 */

export const MINIMAP_HEIGHT_PX = 44
export const RULER_HEIGHT_PX = 22
const HEADER_HEIGHT_PX = MINIMAP_HEIGHT_PX + RULER_HEIGHT_PX
const SPLITTER_PX = 5
const MIN_TREE_PX = 160
const MIN_TIMELINE_PX = 160
const MAX_SCROLL_PX = 8_000_000
const DRAG_THRESHOLD_PX = 4
/** Rows kept in one positioned block, so that scrolling moves the block and rows keep their props. */
const ROW_BLOCK = 64

export interface ViewportHandle {
  /** Scrolls so that a row is visible: `auto` moves as little as possible, `center` centres it. */
  scrollToRow(row: number, align: 'auto' | 'center'): void
  /** Rows per page, for PageUp/PageDown. */
  pageRows(): number
  focus(): void
  /** The trace ns under the pointer, when it is over the timeline (keyboard zoom anchors there). */
  hoverNs(): number | undefined
}

export interface ViewportActions {
  select(index: number): void
  toggle(index: number, isWholeSubtree: boolean): void
  zoomToSpan(index: number): void
  setWindow(window: TimeWindow | undefined): void
  showServices(services: readonly number[]): void
}

interface WaterfallViewportProps {
  readonly trace: Trace
  readonly layout: WaterfallLayout
  readonly collapsed: ReadonlySet<number>
  readonly selected: number | undefined
  readonly selectedRow: number
  readonly matches: Uint8Array | undefined
  readonly markText: string | undefined
  readonly critical: CriticalStrips | undefined
  readonly window: TimeWindow
  readonly isZoomed: boolean
  readonly serviceColors: readonly string[]
  readonly actions: ViewportActions
  readonly handleRef: RefObject<ViewportHandle | null>
  readonly header: ReactNode
  /** Called once per trace, when its rows are first drawn (when `data-ready` turns true). */
  readonly onPainted?: (trace: Trace) => void
}

interface Geometry {
  readonly rowsHeightPx: number
  readonly scrollTopPx: number
  readonly domMaxPx: number
  readonly virtualMaxPx: number
  readonly timelineWidthPx: number
  readonly window: TimeWindow
  readonly rowCount: number
}

/** The device pixel ratio, updated when the window moves to a screen with another one (or the page zooms). */
function useDevicePixelRatio(): number {
  const [ratio, setRatio] = useState(() => window.devicePixelRatio || 1)
  useEffect(() => {
    const query = window.matchMedia(`(resolution: ${ratio}dppx)`)
    const onChange = () => setRatio(window.devicePixelRatio || 1)
    query.addEventListener('change', onChange)
    return () => query.removeEventListener('change', onChange)
  }, [ratio])
  return ratio
}

type Brush = { readonly startX: number; readonly currentX: number; readonly hasMoved: boolean; readonly row: number | undefined }

export function WaterfallViewport(props: WaterfallViewportProps) {
  const { trace, layout, collapsed, selected, selectedRow, matches, markText, critical, window, isZoomed, serviceColors, actions, handleRef, onPainted } = props
  const scrollRef = useRef<HTMLDivElement>(null)
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const overlayRef = useRef<HTMLCanvasElement>(null)
  const treeRef = useRef<HTMLDivElement>(null)
  const [size, setSize] = useState({ widthPx: 0, heightPx: 0 })
  const [scrollTopDom, setScrollTopDom] = useState(0)
  const [dragFraction, setDragFraction] = useState<number>()
  const [readyFor, setReadyFor] = useState<Trace>()
  const treeFraction = useWaterfallPrefsStore((state) => state.treeFraction)
  const setPrefs = useWaterfallPrefsStore((state) => state.setPrefs)
  const themeName = useThemeStore((state) => state.theme)
  const pixelRatio = useDevicePixelRatio()
  const theme = themeName === 'dark' ? DARK_CANVAS_THEME : LIGHT_CANVAS_THEME

  useLayoutEffect(() => {
    const element = scrollRef.current
    if (!element) return
    const measure = () => setSize({ widthPx: element.clientWidth, heightPx: element.clientHeight })
    // Not measured here: reading the size now would force the page's first layout into this task
    // (40 ms for a trace page). The observer reports the size right after that layout, and the
    // rows render in a task of their own.
    const observer = new ResizeObserver(measure)
    observer.observe(element)
    return () => observer.disconnect()
  }, [])

  // Geometry: columns, then rows (virtual px = row · height; dom px = the scrollbar's, scaled past MAX_SCROLL_PX).
  const { widthPx, heightPx } = size
  const fraction = dragFraction ?? treeFraction
  const treeWidthPx = Math.round(Math.max(MIN_TREE_PX, Math.min(widthPx - MIN_TIMELINE_PX - SPLITTER_PX, fraction * widthPx)))
  const timelineLeftPx = treeWidthPx + SPLITTER_PX
  const timelineWidthPx = Math.max(0, widthPx - timelineLeftPx)
  const rowsHeightPx = Math.max(0, heightPx - HEADER_HEIGHT_PX)
  const rowCount = layout.rows.length
  const contentHeightPx = rowCount * ROW_HEIGHT_PX
  const scaledHeightPx = Math.min(contentHeightPx, MAX_SCROLL_PX)
  const domMaxPx = Math.max(0, scaledHeightPx - rowsHeightPx)
  const virtualMaxPx = Math.max(0, contentHeightPx - rowsHeightPx)
  const scrollTopPx = domMaxPx > 0 ? (Math.min(scrollTopDom, domMaxPx) * virtualMaxPx) / domMaxPx : 0
  const spacerHeightPx = Math.max(heightPx, scaledHeightPx + HEADER_HEIGHT_PX)

  const ticks = useMemo(() => chooseRulerTicks(window.startNs, window.endNs, timelineWidthPx, 90), [window, timelineWidthPx])
  const pxPerNs = timelineWidthPx / Math.max(1e-9, window.endNs - window.startNs)

  const geometryRef = useRef<Geometry>({ rowsHeightPx, scrollTopPx, domMaxPx, virtualMaxPx, timelineWidthPx, window, rowCount })
  useLayoutEffect(() => {
    geometryRef.current = { rowsHeightPx, scrollTopPx, domMaxPx, virtualMaxPx, timelineWidthPx, window, rowCount }
  })

  // The frame scheduler: one requestAnimationFrame for whatever became dirty.
  const textWidths = useMemo(() => new TextWidthCache(), [])
  const baseSceneRef = useRef<TimelineScene | undefined>(undefined)
  const hoverRef = useRef<{ row: number | undefined; x: number | undefined }>({ row: undefined, x: undefined })
  const brushRef = useRef<Brush | undefined>(undefined)
  const selectedRowRef = useRef(selectedRow)
  const dirtyRef = useRef({ base: false, overlay: false })
  const frameRef = useRef(0)
  const readyRef = useRef<Trace | undefined>(undefined)
  const onPaintedRef = useRef(onPainted)
  useLayoutEffect(() => {
    onPaintedRef.current = onPainted
  })

  const drawFrame = useCallback(() => {
    frameRef.current = 0
    const dirty = dirtyRef.current
    const scene = baseSceneRef.current
    if (dirty.base && scene && canvasRef.current) {
      dirty.base = false
      const context = prepareCanvas(canvasRef.current, scene.widthPx, scene.heightPx)
      if (context) drawTimeline(context, scene, textWidths)
      if (readyRef.current !== scene.trace) {
        readyRef.current = scene.trace
        setReadyFor(scene.trace)
        onPaintedRef.current?.(scene.trace)
      }
    }
    if (dirty.overlay && scene && overlayRef.current) {
      dirty.overlay = false
      const context = prepareCanvas(overlayRef.current, scene.widthPx, scene.heightPx)
      if (context) {
        const hover = hoverRef.current
        const brush = brushRef.current
        const geometry = geometryRef.current
        const spanNs = geometry.window.endNs - geometry.window.startNs
        const nsAt = (x: number) => geometry.window.startNs + (x / Math.max(1, geometry.timelineWidthPx)) * spanNs
        const overlay: OverlayScene = {
          widthPx: scene.widthPx,
          heightPx: scene.heightPx,
          scrollTopPx: scene.scrollTopPx,
          hoverRow: hover.row,
          selectedRow: selectedRowRef.current >= 0 ? selectedRowRef.current : undefined,
          cursorX: hover.x,
          cursorLabel: hover.x === undefined ? undefined : `+${formatDurationNs(nsAt(hover.x))}`,
          theme: scene.theme,
        }
        drawOverlay(context, overlay, textWidths)
        if (brush?.hasMoved) {
          const x0 = Math.min(brush.startX, brush.currentX)
          const x1 = Math.max(brush.startX, brush.currentX)
          context.fillStyle = scene.theme.selectionBand
          context.fillRect(x0, 0, x1 - x0, scene.heightPx)
          context.fillStyle = scene.theme.selectionOutline
          context.fillRect(x0, 0, 1, scene.heightPx)
          context.fillRect(x1, 0, 1, scene.heightPx)
          context.font = '11px ui-sans-serif, system-ui, sans-serif'
          context.textBaseline = 'top'
          context.fillText(formatDurationNs(nsAt(x1) - nsAt(x0)), x0 + 4, 22)
        }
      }
    }
  }, [textWidths])

  const schedule = useCallback(
    (what: 'base' | 'overlay' | 'both') => {
      if (what !== 'overlay') dirtyRef.current.base = true
      if (what !== 'base') dirtyRef.current.overlay = true
      if (frameRef.current === 0) frameRef.current = requestAnimationFrame(drawFrame)
    },
    [drawFrame],
  )
  useEffect(
    () => () => {
      cancelAnimationFrame(frameRef.current)
      frameRef.current = 0
    },
    [],
  )

  useLayoutEffect(() => {
    if (timelineWidthPx <= 0 || rowsHeightPx <= 0) return
    baseSceneRef.current = {
      trace,
      layout,
      widthPx: timelineWidthPx,
      heightPx: rowsHeightPx,
      scrollTopPx,
      window,
      ticksNs: ticks.ticksNs,
      serviceColors,
      collapsed,
      matches,
      currentMatch: selected !== undefined && matches?.[selected] === 1 ? selected : undefined,
      critical,
      theme,
    }
    schedule('both')
  }, [
    trace,
    layout,
    timelineWidthPx,
    rowsHeightPx,
    scrollTopPx,
    window,
    ticks,
    serviceColors,
    collapsed,
    matches,
    selected,
    critical,
    theme,
    schedule,
    pixelRatio,
  ])

  useLayoutEffect(() => {
    selectedRowRef.current = selectedRow
    schedule('overlay')
  }, [selectedRow, schedule])

  // A scroll asked for before the viewport knows its size (a deep-linked span on arrival) waits for it.
  const pendingScrollRef = useRef<{ readonly row: number; readonly align: 'auto' | 'center' } | undefined>(undefined)
  useLayoutEffect(() => {
    const pending = pendingScrollRef.current
    if (pending && rowsHeightPx > 0) {
      pendingScrollRef.current = undefined
      handleRef.current?.scrollToRow(pending.row, pending.align)
    }
  }, [rowsHeightPx, handleRef])

  // Handle for the parent: scrolling to rows, paging, focus.
  useLayoutEffect(() => {
    handleRef.current = {
      scrollToRow(row, align) {
        const element = scrollRef.current
        const geometry = geometryRef.current
        if (geometry.rowsHeightPx <= 0) {
          pendingScrollRef.current = { row, align }
          return
        }
        if (!element || row < 0 || row >= geometry.rowCount) return
        const rowTop = row * ROW_HEIGHT_PX
        let target: number
        if (align === 'center') target = rowTop - (geometry.rowsHeightPx - ROW_HEIGHT_PX) / 2
        else if (rowTop < geometry.scrollTopPx) target = rowTop
        else if (rowTop + ROW_HEIGHT_PX > geometry.scrollTopPx + geometry.rowsHeightPx) target = rowTop + ROW_HEIGHT_PX - geometry.rowsHeightPx
        else return
        target = Math.max(0, Math.min(geometry.virtualMaxPx, target))
        element.scrollTop = geometry.virtualMaxPx > 0 ? (target * geometry.domMaxPx) / geometry.virtualMaxPx : 0
      },
      pageRows: () => Math.max(1, Math.floor(geometryRef.current.rowsHeightPx / ROW_HEIGHT_PX) - 1),
      focus: () => scrollRef.current?.focus({ preventScroll: true }),
      hoverNs: () => {
        const { x } = hoverRef.current
        const geometry = geometryRef.current
        if (x === undefined) return undefined
        return geometry.window.startNs + (x / Math.max(1, geometry.timelineWidthPx)) * (geometry.window.endNs - geometry.window.startNs)
      },
    }
  })

  // Wheel over the timeline: Ctrl/⌘ (and trackpad pinch, which sends ctrlKey) zooms around the
  // pointer; Shift or a horizontal swipe pans; a plain wheel scrolls the rows as usual.
  const actionsRef = useRef(actions)
  const traceRef = useRef(trace)
  useEffect(() => {
    actionsRef.current = actions
    traceRef.current = trace
  })
  const timelineRef = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const element = timelineRef.current
    if (!element) return
    const onWheel = (event: WheelEvent) => {
      const geometry = geometryRef.current
      const spanNs = geometry.window.endNs - geometry.window.startNs
      const x = event.clientX - element.getBoundingClientRect().left
      const nsPerPx = spanNs / Math.max(1, geometry.timelineWidthPx)
      if (event.ctrlKey || event.metaKey) {
        event.preventDefault()
        actionsRef.current.setWindow(zoomWindow(traceRef.current, geometry.window, Math.exp(event.deltaY * 0.0025), geometry.window.startNs + x * nsPerPx))
      } else if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
        event.preventDefault()
        const deltaPx = event.shiftKey && event.deltaX === 0 ? event.deltaY : event.deltaX
        actionsRef.current.setWindow(panWindow(traceRef.current, geometry.window, deltaPx * nsPerPx))
      }
    }
    element.addEventListener('wheel', onWheel, { passive: false })
    return () => element.removeEventListener('wheel', onWheel)
  }, [])

  const rowAtClientY = (clientY: number): number | undefined => {
    const element = timelineRef.current
    if (!element) return undefined
    const y = clientY - element.getBoundingClientRect().top
    const row = Math.floor((y + scrollTopPx) / ROW_HEIGHT_PX)
    return y >= 0 && row >= 0 && row < rowCount ? row : undefined
  }

  const setHover = (row: number | undefined, x: number | undefined) => {
    const previous = hoverRef.current
    if (previous.row === row && previous.x === x) return
    if (previous.row !== row) {
      const tree = treeRef.current
      if (previous.row !== undefined) tree?.querySelector(`[data-row="${previous.row}"]`)?.removeAttribute('data-hovered')
      if (row !== undefined) tree?.querySelector(`[data-row="${row}"]`)?.setAttribute('data-hovered', 'true')
    }
    hoverRef.current = { row, x }
    schedule('overlay')
  }

  // Timeline pointer: click selects, drag selects a time range to zoom into, double-click zooms to the span.
  const timelineX = (event: ReactPointerEvent<HTMLElement>) => event.clientX - (timelineRef.current?.getBoundingClientRect().left ?? 0)
  const onTimelinePointerDown = (event: ReactPointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return
    event.currentTarget.setPointerCapture(event.pointerId)
    const x = timelineX(event)
    brushRef.current = { startX: x, currentX: x, hasMoved: false, row: rowAtClientY(event.clientY) }
  }
  const onTimelinePointerMove = (event: ReactPointerEvent<HTMLDivElement>) => {
    const x = timelineX(event)
    const brush = brushRef.current
    if (brush) {
      const hasMoved = brush.hasMoved || Math.abs(x - brush.startX) >= DRAG_THRESHOLD_PX
      brushRef.current = { ...brush, currentX: Math.max(0, Math.min(timelineWidthPx, x)), hasMoved }
    }
    setHover(rowAtClientY(event.clientY), x)
  }
  const onTimelinePointerUp = () => {
    const brush = brushRef.current
    brushRef.current = undefined
    if (!brush) return
    if (brush.hasMoved) {
      const nsAt = (x: number) => window.startNs + x / pxPerNs
      actions.setWindow(clampWindow(trace, nsAt(Math.min(brush.startX, brush.currentX)), nsAt(Math.max(brush.startX, brush.currentX))))
      schedule('overlay')
      return
    }
    if (brush.row !== undefined && layout.kinds[brush.row] === RowKind.Span) actions.select(layout.rows[brush.row] as number)
  }
  const onTimelineDoubleClick = (event: ReactMouseEvent<HTMLDivElement>) => {
    const row = rowAtClientY(event.clientY)
    if (row !== undefined && layout.kinds[row] === RowKind.Span) actions.zoomToSpan(layout.rows[row] as number)
  }

  // Tree clicks, delegated: toggle buttons, "show" on hidden rows, row selection.
  const onTreeClick = (event: ReactMouseEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement
    const rowElement = target.closest<HTMLElement>('[data-row]')
    if (!rowElement) return
    const row = Number(rowElement.dataset.row)
    const action = target.closest<HTMLElement>('[data-action]')?.dataset.action
    if (action === 'unhide') {
      const services = (target.closest<HTMLElement>('[data-services]')?.dataset.services ?? '').split(',').filter(Boolean).map(Number)
      actions.showServices(services)
      return
    }
    if (layout.kinds[row] !== RowKind.Span) return
    const index = layout.rows[row] as number
    if (action === 'toggle') {
      actions.toggle(index, event.altKey)
      return
    }
    actions.select(index)
    scrollRef.current?.focus({ preventScroll: true })
  }
  const onTreeDoubleClick = (event: ReactMouseEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement
    if (target.closest('[data-action]')) return
    const rowElement = target.closest<HTMLElement>('[data-row]')
    if (!rowElement) return
    const row = Number(rowElement.dataset.row)
    const index = layout.rows[row] as number
    if (layout.kinds[row] === RowKind.Span && (trace.subtreeEnd[index] as number) > index + 1) actions.toggle(index, false)
  }
  const onTreePointerMove = (event: ReactPointerEvent<HTMLDivElement>) => setHover(rowAtClientY(event.clientY), undefined)

  // The divider between the columns.
  const onSplitterPointerDown = (event: ReactPointerEvent<HTMLDivElement>) => {
    event.preventDefault()
    event.currentTarget.setPointerCapture(event.pointerId)
    setDragFraction(fraction)
  }
  const onSplitterPointerMove = (event: ReactPointerEvent<HTMLDivElement>) => {
    if (dragFraction === undefined || widthPx <= 0) return
    const left = scrollRef.current?.getBoundingClientRect().left ?? 0
    setDragFraction(Math.max(0.1, Math.min(0.85, (event.clientX - left) / widthPx)))
  }
  const onSplitterPointerUp = () => {
    if (dragFraction !== undefined) setPrefs({ treeFraction: dragFraction })
    setDragFraction(undefined)
  }

  // Ruler drag zooms too.
  const onRulerPointerDown = onTimelinePointerDown
  const { first, end } = visibleRowRange(rowCount, scrollTopPx, rowsHeightPx)
  const blockStart = first - (first % ROW_BLOCK)
  const blockOffsetPx = blockStart * ROW_HEIGHT_PX - scrollTopPx
  const selectedDepth = selected === undefined ? undefined : (trace.depth[selected] as number)
  const selectedEnd = selected === undefined ? -1 : (trace.subtreeEnd[selected] as number)

  const treeRows: ReactNode[] = []
  for (let row = first; row < end; row++) {
    const index = layout.rows[row] as number
    const topPx = (row - blockStart) * ROW_HEIGHT_PX
    if (layout.kinds[row] === RowKind.Hidden) {
      treeRows.push(<HiddenRow key={`h${index}`} trace={trace} from={index} to={layout.hiddenEnd.get(index) ?? index + 1} row={row} topPx={topPx} />)
      continue
    }
    const isMatch = matches?.[index] === 1
    treeRows.push(
      <TreeRow
        key={index}
        trace={trace}
        index={index}
        row={row}
        topPx={topPx}
        color={serviceColors[trace.serviceIndex[index] as number] ?? '#71717a'}
        isSelected={selected === index}
        isCollapsed={collapsed.has(index)}
        isMatch={isMatch}
        isCurrentMatch={isMatch && selected === index}
        markText={isMatch ? markText : undefined}
        selectedDepth={selected !== undefined && index > selected && index < selectedEnd ? selectedDepth : undefined}
      />,
    )
  }

  return (
    <div
      ref={scrollRef}
      data-testid="waterfall"
      data-ready={readyFor === trace ? 'true' : 'false'}
      // For harnesses: the span details (attributes, events, links) have arrived (see hasSpanDetails).
      data-details={hasSpanDetails(trace) ? 'true' : 'false'}
      data-row-count={rowCount}
      tabIndex={0}
      aria-label="Waterfall: span tree and timeline"
      aria-activedescendant={selected !== undefined && selectedRow >= first && selectedRow < end ? rowElementId(selected) : undefined}
      role="tree"
      onScroll={(event) => setScrollTopDom(event.currentTarget.scrollTop)}
      className="relative min-h-0 flex-1 overflow-x-hidden overflow-y-auto bg-white focus-visible:outline-offset-[-2px] dark:bg-zinc-950"
    >
      <div style={{ height: spacerHeightPx }}>
        <div className="sticky top-0 overflow-hidden" style={{ height: heightPx }} role="presentation">
          {/* Header: controls over the tree column, minimap and ruler over the timeline. */}
          <div
            className="absolute top-0 left-0 flex flex-col justify-between border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900"
            style={{ width: treeWidthPx, height: MINIMAP_HEIGHT_PX }}
          >
            {props.header}
          </div>
          <div
            className="absolute top-0 border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900"
            style={{ left: timelineLeftPx, width: timelineWidthPx, height: MINIMAP_HEIGHT_PX }}
          >
            {timelineWidthPx > 0 && (
              <Minimap
                trace={trace}
                window={window}
                isZoomed={isZoomed}
                widthPx={timelineWidthPx}
                heightPx={MINIMAP_HEIGHT_PX - 1}
                serviceColors={serviceColors}
                theme={theme}
                pixelRatio={pixelRatio}
                onWindowChange={actions.setWindow}
              />
            )}
          </div>
          <div
            data-testid="ruler"
            data-step-ns={ticks.stepNs}
            className="absolute cursor-col-resize overflow-hidden border-b border-zinc-200 bg-white text-[10px] text-zinc-500 tabular-nums select-none dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-400"
            style={{ left: timelineLeftPx, top: MINIMAP_HEIGHT_PX, width: timelineWidthPx, height: RULER_HEIGHT_PX }}
            title="Drag to zoom into a time range"
            onPointerDown={onRulerPointerDown}
            onPointerMove={onTimelinePointerMove}
            onPointerUp={onTimelinePointerUp}
            onPointerLeave={() => setHover(hoverRef.current.row, undefined)}
          >
            {ticks.ticksNs.map((tickNs) => {
              const x = (tickNs - window.startNs) * pxPerNs
              return (
                <span
                  key={tickNs}
                  className="absolute top-0 h-full border-l border-zinc-300 pt-1 pl-1 whitespace-nowrap dark:border-zinc-700"
                  style={{ left: x }}
                >
                  {formatTickNs(tickNs, ticks.stepNs)}
                </span>
              )
            })}
          </div>
          <div
            className="absolute flex items-center justify-between border-b border-zinc-200 bg-white px-2 text-[11px] font-semibold tracking-wide text-zinc-500 uppercase dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-400"
            style={{ left: 0, top: MINIMAP_HEIGHT_PX, width: treeWidthPx, height: RULER_HEIGHT_PX }}
            aria-hidden="true"
          >
            <span className="truncate">Service › Operation</span>
          </div>

          {/* Span-tree column. */}
          <div
            ref={treeRef}
            className="absolute left-0 overflow-hidden"
            // Fixed-size and independent: the browser re-lays out only this box when rows change.
            style={{ top: HEADER_HEIGHT_PX, width: treeWidthPx, height: rowsHeightPx, contain: 'strict' }}
            onClick={onTreeClick}
            onDoubleClick={onTreeDoubleClick}
            onPointerMove={onTreePointerMove}
            onPointerLeave={() => setHover(undefined, undefined)}
          >
            <div className="absolute inset-x-0 top-0" style={{ transform: `translateY(${blockOffsetPx}px)` }}>
              {treeRows}
            </div>
          </div>

          <div
            role="separator"
            aria-orientation="vertical"
            aria-label="Resize the span column"
            className="absolute top-0 z-10 cursor-col-resize border-x border-zinc-200 bg-zinc-100 hover:bg-indigo-200 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:bg-indigo-800"
            style={{ left: treeWidthPx, width: SPLITTER_PX, height: heightPx }}
            onPointerDown={onSplitterPointerDown}
            onPointerMove={onSplitterPointerMove}
            onPointerUp={onSplitterPointerUp}
            onPointerCancel={onSplitterPointerUp}
          />

          {/* Timeline column. */}
          <div
            ref={timelineRef}
            className="absolute touch-pan-y"
            style={{ left: timelineLeftPx, top: HEADER_HEIGHT_PX, width: timelineWidthPx, height: rowsHeightPx, contain: 'strict' }}
            onPointerDown={onTimelinePointerDown}
            onPointerMove={onTimelinePointerMove}
            onPointerUp={onTimelinePointerUp}
            onPointerLeave={() => setHover(undefined, undefined)}
            onDoubleClick={onTimelineDoubleClick}
          >
            <canvas
              ref={canvasRef}
              data-testid="waterfall-canvas"
              className="absolute inset-0 block"
              style={{ width: timelineWidthPx, height: rowsHeightPx }}
            />
            <canvas
              ref={overlayRef}
              aria-hidden="true"
              className="pointer-events-none absolute inset-0 block"
              style={{ width: timelineWidthPx, height: rowsHeightPx }}
            />
          </div>
        </div>
      </div>
    </div>
  )
}
