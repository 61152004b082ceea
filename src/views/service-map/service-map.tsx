import { select } from 'd3'
import { zoom, zoomIdentity } from 'd3'
import type { ZoomBehavior, ZoomTransform } from 'd3'
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { PointerEvent as ReactPointerEvent, ReactNode } from 'react'
import type { ServiceGraph, ServiceGraphEdge, ServiceGraphNode, ServiceNodeKind } from '../../model/analyses/service-graph.ts'
import { followLink } from '../../state/url-params.ts'
import { formatCount, formatDurationNs, pluralize } from '../../ui/format.ts'
import { pickServiceColor } from '../../ui/service-color.ts'
import { BUTTON_CLASS } from '../../ui/styles.ts'
import { edgeWidthPx, ERROR_RATE_FULL, errorColor, layeredEdge, NODE_RADIUS_PX, selfLoopEdge, straightEdge } from './geometry.ts'
import type { EdgeGeometry } from './geometry.ts'
import { chooseLayoutKind, layoutServiceMap } from './layout.ts'
import type { Point, ServiceMapLayout, ServiceMapLayoutKind } from './layout.ts'

/** How a trace id in the node panel links and reads; the wrappers know where traces live. */
export interface TraceLinker {
  href(traceId: string): string
  label(traceId: string): string | undefined
}

interface ServiceMapProps {
  readonly graph: ServiceGraph
  readonly traceLinker?: TraceLinker
  /** Shown at the start of the toolbar (e.g. what the map is built from). */
  readonly title?: ReactNode
}

/** Edge labels (call counts) are drawn when there are at most this many edges. */
const MAX_LABELLED_EDGES = 30
const MAX_LISTED_TRACES = 200

/**
 * A service dependency map: nodes are services and inferred peers (databases, queues, external
 * hosts), edges are calls (width by count, colour by error rate). Layered left to right for
 * DAG-ish graphs, force-directed otherwise (toggle). Zoom and pan with the wheel and drag
 * (d3-zoom), drag nodes to move them, click a node to highlight its calls and list its traces.
 * Takes any `ServiceGraph`: from loaded traces or from a backend's dependency links.
 */
export function ServiceMap({ graph, traceLinker, title }: ServiceMapProps) {
  const defaultKind = useMemo(() => chooseLayoutKind(graph), [graph])
  const [chosenKind, setChosenKind] = useState<{ graph: ServiceGraph; kind: ServiceMapLayoutKind }>()
  const kind = chosenKind?.graph === graph ? chosenKind.kind : defaultKind
  const layout = useMemo(() => layoutServiceMap(graph, kind), [graph, kind])
  // `data-ready="true"` once the current layout is in the DOM and fitted to the view (for harnesses, like the waterfall's).
  const [readyLayout, setReadyLayout] = useState<ServiceMapLayout>()
  const isReady = graph.nodes.length === 0 || readyLayout === layout
  return (
    <div
      data-testid="service-map"
      data-layout={kind}
      data-ready={isReady ? 'true' : 'false'}
      className="relative flex min-h-0 min-w-0 flex-1 flex-col bg-white dark:bg-zinc-950"
    >
      <div className="flex shrink-0 flex-wrap items-center gap-2 border-b border-zinc-200 px-3 py-1.5 text-xs dark:border-zinc-800">
        {title}
        <span className="text-zinc-500 dark:text-zinc-400">
          {pluralize(graph.nodes.length, 'node')} · {pluralize(graph.edges.length, 'edge')}
        </span>
        <div className="ml-auto flex items-center gap-1" role="group" aria-label="Layout">
          {(['layered', 'force'] as const).map((option) => (
            <button
              key={option}
              type="button"
              data-testid={`service-map-layout-${option}`}
              aria-pressed={kind === option}
              onClick={() => setChosenKind({ graph, kind: option })}
              className={`${BUTTON_CLASS} aria-pressed:border-indigo-500 aria-pressed:bg-indigo-50 aria-pressed:text-indigo-900 dark:aria-pressed:border-indigo-400 dark:aria-pressed:bg-indigo-950 dark:aria-pressed:text-indigo-100`}
            >
              {option === 'layered' ? 'Layered' : 'Force'}
            </button>
          ))}
        </div>
      </div>
      {graph.nodes.length === 0 ? (
        <p className="p-6 text-sm text-zinc-500 dark:text-zinc-400">No services to show.</p>
      ) : (
        <ServiceMapCanvas key={`${kind}`} graph={graph} layout={layout} traceLinker={traceLinker} onReady={setReadyLayout} />
      )}
    </div>
  )
}

interface HoveredEdge {
  readonly edge: ServiceGraphEdge
  readonly xPx: number
  readonly yPx: number
}

function ServiceMapCanvas({
  graph,
  layout,
  traceLinker,
  onReady,
}: {
  readonly graph: ServiceGraph
  readonly layout: ServiceMapLayout
  readonly traceLinker?: TraceLinker
  /** Called with the layout once it is drawn and fitted. */
  onReady(layout: ServiceMapLayout): void
}) {
  const containerRef = useRef<HTMLDivElement>(null)
  const svgRef = useRef<SVGSVGElement>(null)
  const viewportRef = useRef<SVGGElement>(null)
  const zoomRef = useRef<ZoomBehavior<SVGSVGElement, unknown>>(undefined)
  const transformRef = useRef<ZoomTransform>(zoomIdentity)
  const [moved, setMoved] = useState<ReadonlyMap<string, Point>>(new Map())
  const [selectedId, setSelectedId] = useState<string>()
  const [hovered, setHovered] = useState<HoveredEdge>()

  const positionOf = useCallback((id: string): Point => moved.get(id) ?? layout.positions.get(id) ?? { x: 0, y: 0 }, [moved, layout])
  const maxCallCount = useMemo(() => graph.edges.reduce((max, edge) => Math.max(max, edge.callCount), 0), [graph])
  const edgeIds = useMemo(() => new Set(graph.edges.map((edge) => edge.id)), [graph])
  const selectedNode = selectedId === undefined ? undefined : graph.nodes.find((node) => node.id === selectedId)
  const neighbours = useMemo(() => {
    const ids = new Set<string>()
    if (selectedId === undefined) return ids
    for (const edge of graph.edges) {
      if (edge.source === selectedId) ids.add(edge.target)
      if (edge.target === selectedId) ids.add(edge.source)
    }
    ids.add(selectedId)
    return ids
  }, [graph, selectedId])

  const fit = useCallback(() => {
    const svg = svgRef.current
    const behavior = zoomRef.current
    if (!svg || !behavior) return
    const width = svg.clientWidth || 800
    const height = svg.clientHeight || 600
    const scale = Math.min(1.2, (0.94 * width) / Math.max(1, layout.width), (0.94 * height) / Math.max(1, layout.height))
    const transform = zoomIdentity.translate((width - layout.width * scale) / 2, (height - layout.height * scale) / 2).scale(scale)
    select(svg).call(behavior.transform, transform)
  }, [layout])

  useEffect(() => {
    const svg = svgRef.current
    const viewport = viewportRef.current
    if (!svg || !viewport) return
    const behavior = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.03, 6])
      // Dragging a node moves the node, not the map.
      .filter((event: Event) => {
        const target = event.target as Element | null
        if (event.type !== 'wheel' && target?.closest?.('[data-node-id]')) return false
        return !(event as MouseEvent).button
      })
      .on('zoom', (event: { transform: ZoomTransform }) => {
        transformRef.current = event.transform
        viewport.setAttribute('transform', event.transform.toString())
      })
    zoomRef.current = behavior
    select(svg).call(behavior).on('dblclick.zoom', null)
    fit()
    onReady(layout)
    return () => {
      select(svg).on('.zoom', null)
    }
  }, [fit, onReady, layout])

  // Node dragging: pointer capture on the node; a press without movement is a click.
  const dragRef = useRef<{ id: string; pointerId: number; fromX: number; fromY: number; origin: Point; hasMoved: boolean }>(undefined)
  const onNodePointerDown = useCallback(
    (id: string, event: ReactPointerEvent<SVGGElement>) => {
      if (event.button !== 0) return
      event.stopPropagation()
      event.currentTarget.setPointerCapture?.(event.pointerId)
      dragRef.current = { id, pointerId: event.pointerId, fromX: event.clientX, fromY: event.clientY, origin: positionOf(id), hasMoved: false }
    },
    [positionOf],
  )
  const onNodePointerMove = useCallback((event: ReactPointerEvent<SVGGElement>) => {
    const drag = dragRef.current
    if (!drag || drag.pointerId !== event.pointerId) return
    const dx = event.clientX - drag.fromX
    const dy = event.clientY - drag.fromY
    if (!drag.hasMoved && Math.hypot(dx, dy) < 3) return
    drag.hasMoved = true
    const k = transformRef.current.k
    const next = { x: drag.origin.x + dx / k, y: drag.origin.y + dy / k }
    setMoved((current) => new Map(current).set(drag.id, next))
  }, [])
  const onNodePointerUp = useCallback((event: ReactPointerEvent<SVGGElement>) => {
    const drag = dragRef.current
    dragRef.current = undefined
    if (!drag || drag.pointerId !== event.pointerId) return
    if (!drag.hasMoved) setSelectedId((current) => (current === drag.id ? undefined : drag.id))
  }, [])

  const onEdgeHover = useCallback((edge: ServiceGraphEdge | undefined, event?: ReactPointerEvent<SVGGElement>) => {
    const rect = containerRef.current?.getBoundingClientRect()
    setHovered(edge && event && rect ? { edge, xPx: event.clientX - rect.left, yPx: event.clientY - rect.top } : undefined)
  }, [])

  const hasLabels = graph.edges.length <= MAX_LABELLED_EDGES
  return (
    <div ref={containerRef} className="relative min-h-0 flex-1 overflow-hidden">
      <svg
        ref={svgRef}
        className="size-full cursor-grab touch-none select-none active:cursor-grabbing"
        role="img"
        aria-label={`Service dependency map: ${pluralize(graph.nodes.length, 'node')}, ${pluralize(graph.edges.length, 'edge')}`}
        onClick={(event) => {
          if (event.target === event.currentTarget) setSelectedId(undefined)
        }}
      >
        <g ref={viewportRef}>
          <g>
            {graph.edges.map((edge) => {
              const source = positionOf(edge.source)
              const target = positionOf(edge.target)
              const hasOpposite = !edge.isSelfEdge && edgeIds.has(`${edge.target}\u2192${edge.source}`)
              const isMoved = moved.has(edge.source) || moved.has(edge.target)
              const widthPx = edgeWidthPx(edge.callCount, maxCallCount)
              const geometry = edge.isSelfEdge
                ? selfLoopEdge(source, widthPx)
                : layout.kind === 'layered' && !isMoved
                  ? layeredEdge(source, target, layout.bends.get(edge.id) ?? [], widthPx, hasOpposite ? (edge.source < edge.target ? -5 : 5) : 0)
                  : straightEdge(source, target, widthPx, hasOpposite ? 18 : 0)
              const isDimmed = selectedId !== undefined && edge.source !== selectedId && edge.target !== selectedId
              return (
                <EdgeView
                  key={edge.id}
                  edge={edge}
                  geometry={geometry}
                  widthPx={widthPx}
                  isDimmed={isDimmed}
                  isHighlighted={selectedId !== undefined && !isDimmed}
                  hasLabel={hasLabels}
                  onHover={onEdgeHover}
                />
              )
            })}
          </g>
          <g>
            {graph.nodes.map((node) => {
              const position = positionOf(node.id)
              return (
                <NodeView
                  key={node.id}
                  node={node}
                  x={position.x}
                  y={position.y}
                  isSelected={node.id === selectedId}
                  isDimmed={selectedId !== undefined && !neighbours.has(node.id)}
                  onPointerDown={onNodePointerDown}
                  onPointerMove={onNodePointerMove}
                  onPointerUp={onNodePointerUp}
                />
              )
            })}
          </g>
        </g>
      </svg>
      <div className="absolute top-2 left-2 flex gap-1">
        <button type="button" data-testid="service-map-fit" className={BUTTON_CLASS} onClick={fit}>
          Fit
        </button>
        {moved.size > 0 && (
          <button type="button" className={BUTTON_CLASS} onClick={() => setMoved(new Map())}>
            Reset positions
          </button>
        )}
      </div>
      <Legend />
      {hovered && <EdgeTooltip hovered={hovered} />}
      {selectedNode && <NodePanel node={selectedNode} graph={graph} traceLinker={traceLinker} onClose={() => setSelectedId(undefined)} />}
    </div>
  )
}

const EdgeView = memo(function EdgeView({
  edge,
  geometry,
  widthPx,
  isDimmed,
  isHighlighted,
  hasLabel,
  onHover,
}: {
  readonly edge: ServiceGraphEdge
  readonly geometry: EdgeGeometry
  readonly widthPx: number
  readonly isDimmed: boolean
  readonly isHighlighted: boolean
  readonly hasLabel: boolean
  readonly onHover: (edge: ServiceGraphEdge | undefined, event?: ReactPointerEvent<SVGGElement>) => void
}) {
  const stroke = errorColor(edge.errorRate)
  return (
    <g
      data-testid="service-map-edge"
      data-edge-id={edge.id}
      data-source={edge.source}
      data-target={edge.target}
      data-highlighted={isHighlighted ? 'true' : undefined}
      opacity={isDimmed ? 0.12 : 1}
      onPointerEnter={(event) => onHover(edge, event)}
      onPointerMove={(event) => onHover(edge, event)}
      onPointerLeave={() => onHover(undefined)}
      className="cursor-default"
    >
      {/* A wide transparent twin makes thin edges easy to hover. */}
      <path d={geometry.d} fill="none" stroke="transparent" strokeWidth={Math.max(12, widthPx + 6)} />
      <path
        d={geometry.d}
        fill="none"
        strokeWidth={isHighlighted ? widthPx + 1 : widthPx}
        strokeLinecap="round"
        stroke={stroke}
        className={stroke ? undefined : isHighlighted ? 'stroke-indigo-500 dark:stroke-indigo-400' : 'stroke-zinc-400 dark:stroke-zinc-500'}
        strokeOpacity={0.85}
      />
      <path
        d={geometry.arrow}
        fill={stroke}
        className={stroke ? undefined : isHighlighted ? 'fill-indigo-500 dark:fill-indigo-400' : 'fill-zinc-400 dark:fill-zinc-500'}
      />
      {hasLabel && (
        <text
          x={geometry.label.x}
          y={geometry.label.y - widthPx / 2 - 3}
          textAnchor="middle"
          fontSize={10}
          paintOrder="stroke"
          strokeWidth={3}
          className="pointer-events-none fill-zinc-600 stroke-white tabular-nums dark:fill-zinc-300 dark:stroke-zinc-950"
        >
          {formatCount(edge.callCount)}
          {edge.errorCount > 0 ? ` · ${formatPercent(edge.errorRate)} err` : ''}
        </text>
      )}
    </g>
  )
})

const NodeView = memo(function NodeView({
  node,
  x,
  y,
  isSelected,
  isDimmed,
  onPointerDown,
  onPointerMove,
  onPointerUp,
}: {
  readonly node: ServiceGraphNode
  readonly x: number
  readonly y: number
  readonly isSelected: boolean
  readonly isDimmed: boolean
  readonly onPointerDown: (id: string, event: ReactPointerEvent<SVGGElement>) => void
  readonly onPointerMove: (event: ReactPointerEvent<SVGGElement>) => void
  readonly onPointerUp: (event: ReactPointerEvent<SVGGElement>) => void
}) {
  const name = node.id.length > 30 ? `${node.id.slice(0, 28)}…` : node.id
  const detail =
    node.spanCount > 0
      ? `${pluralize(node.spanCount, 'span')}${node.errorCount > 0 ? ` · ${formatCount(node.errorCount)} err` : ''}`
      : node.isInferred
        ? KIND_LABELS[node.kind]
        : undefined
  return (
    <g
      data-testid="service-map-node"
      data-node-id={node.id}
      data-kind={node.kind}
      data-selected={isSelected ? 'true' : undefined}
      transform={`translate(${x},${y})`}
      opacity={isDimmed ? 0.3 : 1}
      className="cursor-pointer"
      onPointerDown={(event) => onPointerDown(node.id, event)}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
    >
      <title>{`${node.id} (${KIND_LABELS[node.kind]}${node.isInferred ? ', inferred from calls' : ''})`}</title>
      {isSelected && (
        <circle r={NODE_RADIUS_PX + 6} className="fill-indigo-500/15 stroke-indigo-500 dark:fill-indigo-400/20 dark:stroke-indigo-400" strokeWidth={2} />
      )}
      <NodeShape
        kind={node.kind}
        color={node.kind === 'service' ? pickServiceColor(node.id) : undefined}
        isInferred={node.isInferred}
        hasErrors={node.errorCount > 0}
      />
      <text
        y={NODE_RADIUS_PX + 14}
        textAnchor="middle"
        fontSize={11}
        paintOrder="stroke"
        strokeWidth={3}
        className="fill-zinc-800 stroke-white font-medium dark:fill-zinc-100 dark:stroke-zinc-950"
      >
        {name}
      </text>
      {detail && (
        <text
          y={NODE_RADIUS_PX + 27}
          textAnchor="middle"
          fontSize={9.5}
          paintOrder="stroke"
          strokeWidth={3}
          className={`stroke-white dark:stroke-zinc-950 ${node.errorCount > 0 ? 'fill-red-600 dark:fill-red-400' : 'fill-zinc-500 dark:fill-zinc-400'}`}
        >
          {detail}
        </text>
      )}
    </g>
  )
})

const KIND_LABELS: Record<ServiceNodeKind, string> = { service: 'service', database: 'database', queue: 'queue', external: 'external host' }

/** The node's shape, centred on 0,0 within NODE_RADIUS_PX: circle, cylinder, queue, globe. */
function NodeShape({
  kind,
  color,
  isInferred,
  hasErrors,
}: {
  readonly kind: ServiceNodeKind
  readonly color?: string
  readonly isInferred: boolean
  readonly hasErrors: boolean
}) {
  const r = NODE_RADIUS_PX
  const outline = hasErrors ? 'stroke-red-500 dark:stroke-red-400' : 'stroke-white dark:stroke-zinc-900'
  const peerClass = 'fill-zinc-100 stroke-zinc-500 dark:fill-zinc-800 dark:stroke-zinc-400'
  switch (kind) {
    case 'service':
      return (
        <circle
          r={r - 2}
          fill={color}
          strokeWidth={hasErrors ? 3 : 2}
          strokeDasharray={isInferred ? '4 3' : undefined}
          className={isInferred ? `${peerClass} ${hasErrors ? outline : ''}` : outline}
          fillOpacity={isInferred ? undefined : 0.95}
        />
      )
    case 'database':
      return (
        <g className={peerClass} strokeWidth={1.5}>
          <path d={`M${-r + 4},${-r + 8} L${-r + 4},${r - 8} A${r - 4},7 0 0 0 ${r - 4},${r - 8} L${r - 4},${-r + 8}`} />
          <ellipse cx={0} cy={-r + 8} rx={r - 4} ry={7} />
          <path d={`M${-r + 4},${-2} A${r - 4},7 0 0 0 ${r - 4},${-2}`} fill="none" />
        </g>
      )
    case 'queue':
      return (
        <g className={peerClass} strokeWidth={1.5}>
          <rect x={-r + 1} y={-r / 2 - 2} width={2 * r - 2} height={r + 4} rx={5} />
          {[-8, 0, 8].map((dx) => (
            <rect key={dx} x={dx - 2.5} y={-r / 2 + 3} width={5} height={r - 6} rx={1} className="fill-zinc-400 stroke-none dark:fill-zinc-500" />
          ))}
        </g>
      )
    case 'external':
      return (
        <g className={peerClass} strokeWidth={1.5}>
          <circle r={r - 3} strokeDasharray="3 2" />
          <ellipse rx={(r - 3) / 2.2} ry={r - 3} fill="none" />
          <path d={`M${-r + 3},0 L${r - 3},0`} fill="none" />
        </g>
      )
  }
}

function Legend() {
  return (
    <div
      data-testid="service-map-legend"
      className="absolute bottom-2 left-2 flex flex-col gap-1.5 rounded-md border border-zinc-200 bg-white/90 px-2.5 py-2 text-[11px] text-zinc-600 shadow-sm dark:border-zinc-700 dark:bg-zinc-900/90 dark:text-zinc-300"
    >
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        {(['service', 'database', 'queue', 'external'] as const).map((kind) => (
          <span key={kind} className="flex items-center gap-1">
            <svg viewBox="-22 -22 44 44" className="size-5" aria-hidden="true">
              <NodeShape kind={kind} color={kind === 'service' ? '#6366f1' : undefined} isInferred={false} hasErrors={false} />
            </svg>
            {KIND_LABELS[kind]}
          </span>
        ))}
      </div>
      <div className="flex items-center gap-3">
        <span className="flex items-center gap-1.5">
          <svg width="46" height="12" aria-hidden="true">
            <path d="M2,9 L14,9" className="stroke-zinc-400" strokeWidth={1.25} />
            <path d="M18,8 L30,8" className="stroke-zinc-400" strokeWidth={3.5} />
            <path d="M34,7 L44,7" className="stroke-zinc-400" strokeWidth={7} />
          </svg>
          calls
        </span>
        <span className="flex items-center gap-1">
          errors
          <span className="flex flex-col items-stretch">
            <span
              className="h-2 w-24 rounded-sm"
              style={{
                background: `linear-gradient(to right, #a1a1aa 0 12%, ${errorColor(0.002)} 12%, ${errorColor(0.05)} 50%, ${errorColor(ERROR_RATE_FULL)})`,
              }}
              aria-hidden="true"
            />
            <span className="flex justify-between text-[9px] leading-3 tabular-nums">
              <span>0</span>
              <span>5%</span>
              <span>{formatPercent(ERROR_RATE_FULL)}+</span>
            </span>
          </span>
        </span>
      </div>
      <div className="text-zinc-500 dark:text-zinc-400">dashed: inferred from calls · drag nodes · wheel zoom</div>
    </div>
  )
}

function EdgeTooltip({ hovered }: { readonly hovered: HoveredEdge }) {
  const { edge } = hovered
  return (
    <div
      data-testid="service-map-edge-tooltip"
      role="tooltip"
      className="pointer-events-none absolute z-20 rounded-md border border-zinc-200 bg-white/95 px-2.5 py-1.5 text-xs shadow-lg dark:border-zinc-700 dark:bg-zinc-900/95"
      style={{ left: hovered.xPx + 14, top: hovered.yPx + 14 }}
    >
      <div className="font-semibold">
        {edge.source} → {edge.target}
      </div>
      <dl className="mt-1 grid grid-cols-[auto_auto] gap-x-3 gap-y-0.5 tabular-nums">
        <dt className="text-zinc-500 dark:text-zinc-400">Calls</dt>
        <dd>{formatCount(edge.callCount)}</dd>
        <dt className="text-zinc-500 dark:text-zinc-400">Errors</dt>
        <dd className={edge.errorCount > 0 ? 'text-red-600 dark:text-red-400' : undefined}>
          {formatCount(edge.errorCount)} ({formatPercent(edge.errorRate)})
        </dd>
        {edge.p50Ns !== undefined && (
          <>
            <dt className="text-zinc-500 dark:text-zinc-400">p50</dt>
            <dd>{formatDurationNs(edge.p50Ns)}</dd>
          </>
        )}
        {edge.p95Ns !== undefined && (
          <>
            <dt className="text-zinc-500 dark:text-zinc-400">p95</dt>
            <dd>{formatDurationNs(edge.p95Ns)}</dd>
          </>
        )}
        {edge.traceIds.length > 0 && (
          <>
            <dt className="text-zinc-500 dark:text-zinc-400">Traces</dt>
            <dd>{formatCount(edge.traceIds.length)}</dd>
          </>
        )}
      </dl>
    </div>
  )
}

function NodePanel({
  node,
  graph,
  traceLinker,
  onClose,
}: {
  readonly node: ServiceGraphNode
  readonly graph: ServiceGraph
  readonly traceLinker?: TraceLinker
  readonly onClose: () => void
}) {
  const outgoing = graph.edges.filter((edge) => edge.source === node.id)
  const incoming = graph.edges.filter((edge) => edge.target === node.id && edge.source !== node.id)
  const callList = (title: string, edges: readonly ServiceGraphEdge[], other: (edge: ServiceGraphEdge) => string) =>
    edges.length > 0 && (
      <section>
        <h3 className="text-[11px] font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{title}</h3>
        <ul className="mt-1 flex flex-col gap-0.5">
          {edges.map((edge) => (
            <li key={edge.id} className="flex items-baseline justify-between gap-2">
              <span className="truncate">{other(edge)}</span>
              <span className="shrink-0 text-zinc-500 tabular-nums dark:text-zinc-400">
                {formatCount(edge.callCount)}
                {edge.errorCount > 0 && <span className="text-red-600 dark:text-red-400"> · {formatPercent(edge.errorRate)}</span>}
                {edge.p95Ns !== undefined && ` · p95 ${formatDurationNs(edge.p95Ns)}`}
              </span>
            </li>
          ))}
        </ul>
      </section>
    )
  return (
    <aside
      data-testid="service-map-node-panel"
      className="absolute top-2 right-2 bottom-2 flex w-72 flex-col overflow-hidden rounded-md border border-zinc-200 bg-white/95 text-xs shadow-lg dark:border-zinc-700 dark:bg-zinc-900/95"
      aria-label={`Service ${node.id}`}
    >
      <div className="flex items-start gap-2 border-b border-zinc-200 px-3 py-2 dark:border-zinc-800">
        <div className="min-w-0 flex-1">
          <div className="text-zinc-500 dark:text-zinc-400">
            {KIND_LABELS[node.kind]}
            {node.isInferred ? ' · inferred from calls' : ''}
          </div>
          <h2 className="text-sm font-semibold break-words">{node.id}</h2>
          {node.spanCount > 0 && (
            <div className="text-zinc-500 dark:text-zinc-400">
              {pluralize(node.spanCount, 'span')}
              {node.errorCount > 0 && <span className="text-red-600 dark:text-red-400"> · {pluralize(node.errorCount, 'error')}</span>}
            </div>
          )}
        </div>
        <button
          type="button"
          onClick={onClose}
          aria-label="Close"
          className="flex size-6 shrink-0 items-center justify-center rounded text-zinc-500 hover:bg-zinc-200 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-white"
        >
          ×
        </button>
      </div>
      <div className="flex min-h-0 flex-1 flex-col gap-3 overflow-auto px-3 py-2">
        {callList('Calls', outgoing, (edge) => `→ ${edge.target}`)}
        {callList('Called by', incoming, (edge) => `← ${edge.source}`)}
        <section>
          <h3 className="text-[11px] font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">Traces ({formatCount(node.traceIds.length)})</h3>
          {node.traceIds.length === 0 ? (
            <p className="mt-1 text-zinc-500 dark:text-zinc-400">None: this map was built from dependency links.</p>
          ) : (
            <ul data-testid="service-map-traces" className="mt-1 flex flex-col gap-0.5">
              {node.traceIds.slice(0, MAX_LISTED_TRACES).map((traceId) => {
                const href = traceLinker?.href(traceId)
                const label = traceLinker?.label(traceId)
                return (
                  <li key={traceId} className="min-w-0">
                    {href ? (
                      <a
                        href={href}
                        onClick={(event) => followLink(event, href)}
                        className="block truncate rounded text-indigo-700 hover:underline dark:text-indigo-300"
                        title={traceId}
                      >
                        {label ?? traceId}
                        {label && <span className="ml-1 font-mono text-[10px] text-zinc-500 dark:text-zinc-400">{traceId.slice(0, 8)}</span>}
                      </a>
                    ) : (
                      <span className="font-mono">{traceId}</span>
                    )}
                  </li>
                )
              })}
              {node.traceIds.length > MAX_LISTED_TRACES && (
                <li className="text-zinc-500 dark:text-zinc-400">and {formatCount(node.traceIds.length - MAX_LISTED_TRACES)} more</li>
              )}
            </ul>
          )}
        </section>
      </div>
    </aside>
  )
}

function formatPercent(fraction: number): string {
  if (fraction > 0 && fraction < 0.001) return '<0.1%'
  return `${(fraction * 100).toFixed(fraction < 0.1 && fraction > 0 ? 1 : 0)}%`
}
