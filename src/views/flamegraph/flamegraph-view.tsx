import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { Trace } from '../../model/trace.ts'
import { selectTreeState, useSpanTreeStore } from '../../state/span-tree-store.ts'
import { useThemeStore } from '../../state/theme-store.ts'
import { formatCount, formatDurationNs, pluralize } from '../../ui/format.ts'
import { pickServiceColor } from '../../ui/service-color.ts'
import { BUTTON_CLASS, INPUT_CLASS } from '../../ui/styles.ts'
import { getCriticalPath, getSelfTimes } from '../trace/trace-analyses.ts'
import { FlameController } from './flamegraph-controller.ts'
import type { FlameHover } from './flamegraph-controller.ts'
import { layoutFlameMerged, layoutFlameTime, matchFlameItems } from './layout.ts'
import type { FlameLayout, FlameMode } from './layout.ts'
import { serviceSwatches } from './renderer.ts'
import type { FlameColorMode } from './renderer.ts'

const CONTROLS_HELP =
  'Wheel: zoom at the pointer · Shift+wheel: scroll rows · drag: pan · Shift+drag or drag on the time axis: zoom to a range · double-click: focus a span · click: select · keys: arrows, + − and 0'

const SELECT_CLASS =
  'rounded-md border border-zinc-300 bg-white px-1.5 py-1 text-xs text-zinc-900 focus:border-indigo-500 focus:outline-none dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100'

/**
 * The flame graph of one trace: time-ordered (spans at their real times) or merged (identical
 * service+operation paths summed). Canvas-drawn by `FlameController`; this shell holds the
 * toolbar, the tooltip and the wiring to the shared selection. `data-ready="true"` on
 * `data-testid="flamegraph"` after the first paint.
 */
export function FlameGraphView({ trace }: { readonly trace: Trace }) {
  const [mode, setMode] = useState<FlameMode>('time')
  const [colorMode, setColorMode] = useState<FlameColorMode>('service')
  const [showCritical, setShowCritical] = useState(true)
  const [search, setSearch] = useState('')
  const deferredSearch = useDeferredValue(search)
  const [hover, setHover] = useState<FlameHover>()
  const [readyLayout, setReadyLayout] = useState<FlameLayout>()
  const theme = useThemeStore((state) => state.theme)
  const { selected } = useSpanTreeStore(useShallow((state) => selectTreeState(state, trace)))
  const select = useSpanTreeStore((state) => state.select)

  const layout = useMemo(() => (mode === 'time' ? layoutFlameTime : layoutFlameMerged)(trace, getSelfTimes(trace), getCriticalPath(trace)), [trace, mode])
  const matches = useMemo(() => matchFlameItems(layout, trace, deferredSearch), [layout, trace, deferredSearch])
  const swatches = useMemo(() => serviceSwatches(trace.services.map(pickServiceColor), theme), [trace, theme])

  const containerRef = useRef<HTMLDivElement>(null)
  const mainRef = useRef<HTMLCanvasElement>(null)
  const overlayRef = useRef<HTMLCanvasElement>(null)
  const [controller] = useState(() => new FlameController())
  // The controller calls back later, with the current layout and trace.
  useEffect(() => {
    controller.setCallbacks({
      onHover: setHover,
      onSelect: (item) => {
        const span = item >= 0 ? (layout.firstSpan[item] as number) : undefined
        select(trace, span)
      },
      onPainted: (window) => {
        setReadyLayout(layout)
        // The visible window, for tests and tools (not React state: it changes every frame while zooming).
        containerRef.current?.parentElement?.setAttribute('data-window', `${Math.round(window.startX)}-${Math.round(window.endX)}`)
      },
    })
  }, [controller, layout, select, trace])

  useEffect(() => {
    const main = mainRef.current
    const overlay = overlayRef.current
    const container = containerRef.current
    if (!main || !overlay || !container) return
    controller.attach(main, overlay)
    const observer = new ResizeObserver(() => {
      controller.resize(container.clientWidth, container.clientHeight, window.devicePixelRatio || 1)
    })
    observer.observe(container)
    controller.resize(container.clientWidth, container.clientHeight, window.devicePixelRatio || 1)
    // Wheel listeners must be non-passive to keep the page from scrolling while zooming.
    const onWheel = (event: WheelEvent) => controller.wheel(event)
    overlay.addEventListener('wheel', onWheel, { passive: false })
    // A zoom to another screen changes devicePixelRatio without resizing the element.
    const dprQuery = window.matchMedia?.(`(resolution: ${window.devicePixelRatio || 1}dppx)`)
    const onDprChange = () => controller.resize(container.clientWidth, container.clientHeight, window.devicePixelRatio || 1)
    dprQuery?.addEventListener?.('change', onDprChange)
    return () => {
      observer.disconnect()
      overlay.removeEventListener('wheel', onWheel)
      dprQuery?.removeEventListener?.('change', onDprChange)
      controller.detach()
    }
  }, [controller])

  useEffect(() => controller.setLayout(layout), [controller, layout])
  useEffect(
    () => controller.setOptions({ colorMode, matches: matches?.mask, showCritical, theme, serviceSwatches: swatches, names: trace.names }),
    [controller, colorMode, matches, showCritical, theme, swatches, trace],
  )
  const selectedItem = selected === undefined ? -1 : (layout.itemOfSpan[selected] ?? -1)
  useEffect(() => controller.setSelectedItem(selectedItem, true), [controller, selectedItem, layout])

  const isReady = readyLayout === layout
  return (
    <div data-testid="flamegraph" data-ready={isReady ? 'true' : 'false'} data-mode={mode} className="flex min-h-0 min-w-0 flex-1 flex-col">
      <div className="flex shrink-0 flex-wrap items-center gap-2 border-b border-zinc-200 px-3 py-1.5 dark:border-zinc-800">
        <label className="flex items-center gap-1 text-xs text-zinc-600 dark:text-zinc-300">
          Layout
          <select data-testid="flamegraph-mode" value={mode} onChange={(event) => setMode(event.target.value as FlameMode)} className={SELECT_CLASS}>
            <option value="time">Time order</option>
            <option value="merged">Merged paths</option>
          </select>
        </label>
        <label className="flex items-center gap-1 text-xs text-zinc-600 dark:text-zinc-300">
          Colour
          <select
            data-testid="flamegraph-color"
            value={colorMode}
            onChange={(event) => setColorMode(event.target.value as FlameColorMode)}
            className={SELECT_CLASS}
          >
            <option value="service">By service</option>
            <option value="self">By self time</option>
          </select>
        </label>
        <label className="flex items-center gap-1.5 text-xs text-zinc-600 dark:text-zinc-300" title="Dark strips on the critical path">
          <input
            type="checkbox"
            data-testid="flamegraph-critical"
            checked={showCritical}
            onChange={(event) => setShowCritical(event.target.checked)}
            className="accent-indigo-600"
          />
          Critical path
        </label>
        <div className="flex min-w-48 flex-1 items-center gap-2">
          <input
            type="search"
            data-testid="flamegraph-search"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            placeholder="Highlight spans by name or service"
            aria-label="Highlight spans by name or service"
            className={`${INPUT_CLASS} max-w-72`}
          />
          {matches && (
            <span data-testid="flamegraph-match-count" className="text-xs whitespace-nowrap text-zinc-500 dark:text-zinc-400">
              {pluralize(matches.spanCount, 'match', 'matches')}
            </span>
          )}
        </div>
        <span
          className="cursor-help rounded-full border border-zinc-300 px-1.5 text-[11px] text-zinc-500 dark:border-zinc-700 dark:text-zinc-400"
          title={CONTROLS_HELP}
          aria-label={CONTROLS_HELP}
        >
          ?
        </span>
        <button type="button" data-testid="flamegraph-reset" className={BUTTON_CLASS} onClick={() => controller.resetView()}>
          Reset zoom
        </button>
      </div>
      <div ref={containerRef} className="relative min-h-0 flex-1 overflow-hidden bg-white dark:bg-zinc-950">
        <canvas ref={mainRef} data-testid="flamegraph-canvas" className="absolute inset-0 size-full" aria-hidden="true" />
        <canvas
          ref={overlayRef}
          tabIndex={0}
          role="img"
          aria-label={`Flame graph of ${formatCount(trace.spanCount)} spans. Arrow keys pan, plus and minus zoom, 0 resets.`}
          className="absolute inset-0 size-full cursor-pointer touch-none focus-visible:outline-offset-[-2px]"
          onPointerDown={(event) => controller.pointerDown(event.nativeEvent)}
          onPointerMove={(event) => controller.pointerMove(event.nativeEvent)}
          onPointerUp={(event) => controller.pointerUp(event.nativeEvent)}
          onPointerLeave={() => controller.pointerLeave()}
          onDoubleClick={(event) => controller.doubleClick(event.nativeEvent)}
          onKeyDown={(event) => {
            if (controller.keyDown(event.nativeEvent)) event.preventDefault()
          }}
        />
        {hover && <FlameTooltip trace={trace} layout={layout} hover={hover} containerRef={containerRef} />}
      </div>
    </div>
  )
}

function FlameTooltip({
  trace,
  layout,
  hover,
  containerRef,
}: {
  readonly trace: Trace
  readonly layout: FlameLayout
  readonly hover: FlameHover
  readonly containerRef: React.RefObject<HTMLDivElement | null>
}) {
  const item = hover.item
  const [size, setSize] = useState({ width: 0, height: 0 })
  useEffect(() => {
    const container = containerRef.current
    if (container) setSize({ width: container.clientWidth, height: container.clientHeight })
  }, [containerRef, hover])
  if (item < 0 || item >= layout.itemCount) return null
  const service = trace.services[layout.serviceIndex[item] as number] ?? ''
  const name = trace.names[layout.nameIndex[item] as number] ?? ''
  const totalNs = layout.totalNs[item] as number
  const selfNs = layout.selfNs[item] as number
  const criticalNs = layout.criticalNs[item] as number
  const spanCount = layout.spanCount[item] as number
  const share = layout.referenceNs > 0 ? totalNs / layout.referenceNs : 0
  // Flip to the other side of the pointer near the right and bottom edges.
  const isLeft = size.width > 0 && hover.xPx > size.width - 300
  const isAbove = size.height > 0 && hover.yPx > size.height - 150
  return (
    <div
      data-testid="flamegraph-tooltip"
      role="tooltip"
      className="pointer-events-none absolute z-10 max-w-80 rounded-md border border-zinc-200 bg-white/95 px-2.5 py-1.5 text-xs shadow-lg dark:border-zinc-700 dark:bg-zinc-900/95"
      style={{
        left: isLeft ? undefined : hover.xPx + 14,
        right: isLeft ? size.width - hover.xPx + 14 : undefined,
        top: isAbove ? undefined : hover.yPx + 14,
        bottom: isAbove ? size.height - hover.yPx + 14 : undefined,
      }}
    >
      <div className="flex items-center gap-1.5">
        <span className="size-2.5 shrink-0 rounded-sm" style={{ backgroundColor: pickServiceColor(service) }} aria-hidden="true" />
        <span className="truncate text-zinc-500 dark:text-zinc-400">{service}</span>
      </div>
      <div className="font-semibold break-words text-zinc-900 dark:text-zinc-100">{name}</div>
      <dl className="mt-1 grid grid-cols-[auto_auto] gap-x-3 gap-y-0.5 tabular-nums">
        <dt className="text-zinc-500 dark:text-zinc-400">{layout.mode === 'merged' ? 'Total duration' : 'Duration'}</dt>
        <dd>{formatDurationNs(totalNs)}</dd>
        <dt className="text-zinc-500 dark:text-zinc-400">Self time</dt>
        <dd>{formatDurationNs(selfNs)}</dd>
        <dt className="text-zinc-500 dark:text-zinc-400">Share of trace</dt>
        <dd>{formatShare(share)}</dd>
        {criticalNs > 0 && (
          <>
            <dt className="text-zinc-500 dark:text-zinc-400">Critical path</dt>
            <dd>{formatDurationNs(criticalNs)}</dd>
          </>
        )}
        {layout.mode === 'merged' && (
          <>
            <dt className="text-zinc-500 dark:text-zinc-400">Spans</dt>
            <dd>
              {formatCount(spanCount)}
              {spanCount > 1 ? ` (avg ${formatDurationNs(totalNs / spanCount)})` : ''}
            </dd>
          </>
        )}
        {layout.mode === 'time' && (
          <>
            <dt className="text-zinc-500 dark:text-zinc-400">Start</dt>
            <dd>+{formatDurationNs(layout.startX[item] as number)}</dd>
          </>
        )}
      </dl>
    </div>
  )
}

function formatShare(share: number): string {
  if (!Number.isFinite(share) || share <= 0) return '0%'
  if (share < 0.001) return '<0.1%'
  return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`
}
