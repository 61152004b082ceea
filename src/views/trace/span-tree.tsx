import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useMemo, useRef, useState } from 'react'
import type { KeyboardEvent } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { SPAN_KIND_NAMES, StatusCode } from '../../model/span-record.ts'
import { SpanFlag, spanName, spanService } from '../../model/trace.ts'
import type { Trace } from '../../model/trace.ts'
import { selectTreeState, useSpanTreeStore } from '../../state/span-tree-store.ts'
import { formatCount, formatDurationNs } from '../../ui/format.ts'
import { pickServiceColor } from '../../ui/service-color.ts'
import { BUTTON_CLASS } from '../../ui/styles.ts'
import { replaceParam, useUrlParams } from '../../state/url-params.ts'
import {
  collapseAll,
  collapseBelowDepth,
  countDescendants,
  findRow,
  hasChildren,
  layoutSpanTree,
  moveInTree,
  revealSpan,
  TREE_KEYS,
} from './span-tree-layout.ts'
import type { TreeKey } from './span-tree-layout.ts'
import { describeSpanFlags } from './span-flags.ts'

const ROW_HEIGHT_PX = 24
const INDENT_PX = 14
/** Deeper rows stop moving right (a 10,000-deep chain would leave the screen) and show their depth instead. */
const MAX_INDENT_LEVELS = 30
/**
 * Name, kind, duration, timeline: shared by the column header and every row. The tree is a
 * size container, so that beside the details panel a narrow tree drops the kind column, then
 * the timeline, rather than squeezing the names to nothing.
 */
const GRID_CLASS =
  'grid grid-cols-[minmax(0,1fr)_4.5rem] @lg:grid-cols-[minmax(0,1fr)_4.5rem_minmax(6rem,30%)] @3xl:grid-cols-[minmax(0,1fr)_5.5rem_4.5rem_minmax(8rem,32%)]'
const KIND_CELL_CLASS = 'hidden @3xl:block'
const TIMELINE_CELL_CLASS = 'hidden @lg:block'

function rowElementId(index: number): string {
  return `span-row-${index}`
}

/**
 * The span tree: one row per visible span, virtualized, so a 100,000-span trace renders only
 * the rows on screen. Keyboard: arrows, Home/End, PageUp/PageDown, Enter/Space, Escape.
 * `data-ready="true"` on the scroll container (`data-testid="waterfall"`) once rows are painted.
 */
export function SpanTree({ trace }: { readonly trace: Trace }) {
  const { collapsed, selected } = useSpanTreeStore(useShallow((state) => selectTreeState(state, trace)))
  const toggle = useSpanTreeStore((state) => state.toggle)
  const setCollapsed = useSpanTreeStore((state) => state.setCollapsed)
  const select = useSpanTreeStore((state) => state.select)
  const rows = useMemo(() => layoutSpanTree(trace, collapsed), [trace, collapsed])
  const scrollRef = useRef<HTMLDivElement>(null)

  // TanStack Virtual returns a stateful object the React Compiler cannot memoize; this component is not compiled.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT_PX,
    overscan: 16,
  })
  const items = virtualizer.getVirtualItems()

  const [readyFor, setReadyFor] = useState<Trace>()
  const hasPaintedRows = items.length > 0 || rows.length === 0
  useEffect(() => {
    if (!hasPaintedRows || readyFor === trace) return
    const frame = requestAnimationFrame(() => setReadyFor(trace))
    return () => cancelAnimationFrame(frame)
  }, [hasPaintedRows, trace, readyFor])

  // On arrival, the URL says which span is selected: the one named by `&span=` (its ancestors
  // expanded and scrolled to), or none.
  const spanParam = useUrlParams().get('span') ?? undefined
  const appliedSpanParamFor = useRef<Trace>(undefined)
  useEffect(() => {
    if (appliedSpanParamFor.current === trace) return
    appliedSpanParamFor.current = trace
    const index = spanParam === undefined ? -1 : trace.spans.findIndex((span) => span.spanId === spanParam)
    if (index < 0) {
      select(trace, undefined)
      return
    }
    const revealed = revealSpan(trace, collapsed, index)
    select(trace, index, revealed)
    requestAnimationFrame(() => virtualizer.scrollToIndex(findRow(layoutSpanTree(trace, revealed), index), { align: 'center' }))
  }, [trace, spanParam, collapsed, select, virtualizer])

  const selectSpan = (index: number | undefined) => {
    select(trace, index)
    replaceParam('span', index === undefined ? undefined : trace.spans[index]?.spanId)
  }

  const selectAndShow = (index: number) => {
    selectSpan(index)
    const row = findRow(rows, index)
    if (row >= 0) virtualizer.scrollToIndex(row, { align: 'auto' })
  }

  const handleKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      selectSpan(undefined)
      return
    }
    if (!TREE_KEYS.has(event.key) || event.altKey || event.ctrlKey || event.metaKey) return
    event.preventDefault()
    const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 480) / ROW_HEIGHT_PX) - 1)
    const move = moveInTree(trace, rows, collapsed, selected, event.key as TreeKey, pageRows)
    if (move.toggle !== undefined) toggle(trace, move.toggle)
    if (move.select !== undefined) selectAndShow(move.select)
  }

  const maxLevels = Math.min(trace.maxDepth + 1, 4)
  return (
    <div className="@container flex min-w-0 flex-1 flex-col">
      <div className="flex shrink-0 flex-wrap items-center gap-2 border-b border-zinc-200 px-3 py-1.5 dark:border-zinc-800">
        <button type="button" className={BUTTON_CLASS} onClick={() => setCollapsed(trace, new Set())} disabled={collapsed.size === 0}>
          Expand all
        </button>
        <button type="button" className={BUTTON_CLASS} onClick={() => setCollapsed(trace, collapseAll(trace))}>
          Collapse all
        </button>
        {maxLevels > 2 && (
          <span className="flex items-center gap-1 text-xs text-zinc-500 dark:text-zinc-400">
            Levels:
            {Array.from({ length: maxLevels - 1 }, (_, level) => (
              <button
                key={level}
                type="button"
                className={BUTTON_CLASS}
                onClick={() => setCollapsed(trace, collapseBelowDepth(trace, level))}
                title={`Show ${level + 1} level${level === 0 ? '' : 's'}`}
              >
                {level + 1}
              </button>
            ))}
          </span>
        )}
        <span className="ml-auto text-xs text-zinc-500 tabular-nums dark:text-zinc-400">
          {rows.length === trace.spanCount
            ? `${formatCount(trace.spanCount)} spans`
            : `${formatCount(rows.length)} of ${formatCount(trace.spanCount)} spans shown`}
        </span>
      </div>
      <div
        className={`${GRID_CLASS} shrink-0 border-b border-zinc-200 bg-zinc-50 px-3 py-1 text-[11px] font-semibold tracking-wide whitespace-nowrap text-zinc-500 uppercase dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400`}
        aria-hidden="true"
      >
        <span className="truncate">Service › Operation</span>
        <span className={KIND_CELL_CLASS}>Kind</span>
        <span className="pr-2 text-right">Duration</span>
        <span className="hidden justify-between normal-case @lg:flex">
          <span>0</span>
          <span>{formatDurationNs(trace.durationNs)}</span>
        </span>
      </div>
      <div
        ref={scrollRef}
        data-testid="waterfall"
        data-ready={readyFor === trace ? 'true' : 'false'}
        role="tree"
        aria-label="Span tree"
        aria-activedescendant={selected !== undefined && findRow(rows, selected) >= 0 ? rowElementId(selected) : undefined}
        tabIndex={0}
        onKeyDown={handleKeyDown}
        className="relative min-h-0 flex-1 overflow-auto focus-visible:outline-offset-[-2px]"
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const index = rows[item.index] as number
            return (
              <SpanRow
                key={index}
                trace={trace}
                index={index}
                topPx={item.start}
                isCollapsed={collapsed.has(index)}
                isSelected={selected === index}
                onToggle={() => toggle(trace, index)}
                onSelect={() => {
                  selectSpan(index)
                  scrollRef.current?.focus({ preventScroll: true })
                }}
              />
            )
          })}
        </div>
      </div>
    </div>
  )
}

interface SpanRowProps {
  readonly trace: Trace
  readonly index: number
  readonly topPx: number
  readonly isCollapsed: boolean
  readonly isSelected: boolean
  readonly onToggle: () => void
  readonly onSelect: () => void
}

function SpanRow({ trace, index, topPx, isCollapsed, isSelected, onToggle, onSelect }: SpanRowProps) {
  const depth = trace.depth[index] as number
  const service = spanService(trace, index)
  const name = spanName(trace, index)
  const isError = trace.status[index] === StatusCode.Error
  const flags = trace.flags[index] as number
  const isParent = hasChildren(trace, index)
  const kind = SPAN_KIND_NAMES[trace.kind[index] as number] ?? 'unspecified'
  const durationNs = trace.durationsNs[index] as number
  const startNs = trace.startOffsetNs[index] as number
  const traceNs = trace.durationNs > 0 ? trace.durationNs : 1
  const indentPx = Math.min(depth, MAX_INDENT_LEVELS) * INDENT_PX
  const color = pickServiceColor(service)

  return (
    <div
      id={rowElementId(index)}
      data-testid="span-row"
      data-span-index={index}
      role="treeitem"
      aria-level={depth + 1}
      aria-expanded={isParent ? !isCollapsed : undefined}
      aria-selected={isSelected}
      onClick={onSelect}
      onDoubleClick={isParent ? onToggle : undefined}
      className={`${GRID_CLASS} absolute top-0 left-0 w-full cursor-default items-center px-3 text-xs leading-6 select-none ${
        isSelected ? 'bg-indigo-100 dark:bg-indigo-900/50' : 'hover:bg-zinc-100 dark:hover:bg-zinc-800/70'
      }`}
      style={{ height: ROW_HEIGHT_PX, transform: `translateY(${topPx}px)` }}
    >
      <div className="flex min-w-0 items-center gap-1.5" style={{ paddingLeft: indentPx }}>
        {depth > MAX_INDENT_LEVELS && (
          <span className="shrink-0 rounded bg-zinc-200 px-1 text-[10px] text-zinc-600 tabular-nums dark:bg-zinc-700 dark:text-zinc-300">{depth}</span>
        )}
        {isParent ? (
          <button
            type="button"
            tabIndex={-1}
            aria-label={isCollapsed ? 'Expand' : 'Collapse'}
            onClick={(event) => {
              event.stopPropagation()
              onToggle()
            }}
            className="flex size-4 shrink-0 items-center justify-center rounded text-zinc-500 hover:bg-zinc-200 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-700 dark:hover:text-white"
          >
            <svg viewBox="0 0 16 16" className={`size-3 transition-transform ${isCollapsed ? '' : 'rotate-90'}`} fill="currentColor" aria-hidden="true">
              <path d="M6 4l4 4-4 4z" />
            </svg>
          </button>
        ) : (
          <span className="size-4 shrink-0" />
        )}
        <span className="size-2 shrink-0 rounded-sm" style={{ backgroundColor: color }} aria-hidden="true" />
        <span className="max-w-[40%] shrink-0 truncate text-zinc-500 dark:text-zinc-400" title={service}>
          {service}
        </span>
        <span className={`min-w-0 truncate font-medium ${isError ? 'text-red-700 dark:text-red-400' : 'text-zinc-900 dark:text-zinc-100'}`} title={name}>
          {name}
        </span>
        {isError && (
          <span
            data-testid="span-error"
            className="flex size-3.5 shrink-0 items-center justify-center rounded-full bg-red-600 text-[9px] font-bold text-white"
            title={`Error${trace.spans[index]?.statusMessage ? `: ${trace.spans[index]?.statusMessage}` : ''}`}
            aria-label="error"
          >
            !
          </span>
        )}
        {(flags & SpanFlag.HasWarning) !== 0 && (
          <span
            className="shrink-0 text-amber-600 dark:text-amber-400"
            title={describeSpanFlags(flags).join('\n')}
            aria-label={`warning: ${describeSpanFlags(flags).join('; ')}`}
          >
            <svg viewBox="0 0 16 16" className="size-3" fill="currentColor" aria-hidden="true">
              <path d="M6.46 1.9a1.75 1.75 0 0 1 3.08 0l5.2 9.6A1.75 1.75 0 0 1 13.2 14H2.8a1.75 1.75 0 0 1-1.54-2.5l5.2-9.6ZM8 5a.75.75 0 0 0-.75.75v3a.75.75 0 0 0 1.5 0v-3A.75.75 0 0 0 8 5Zm0 7a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z" />
            </svg>
          </span>
        )}
        {isCollapsed && (
          <span
            className="shrink-0 rounded bg-zinc-200 px-1 text-[10px] text-zinc-700 tabular-nums dark:bg-zinc-700 dark:text-zinc-200"
            title="Hidden descendants"
          >
            +{formatCount(countDescendants(trace, index))}
          </span>
        )}
      </div>
      <span className={`${KIND_CELL_CLASS} truncate text-zinc-500 dark:text-zinc-400`}>{kind === 'unspecified' ? '' : kind}</span>
      <span className="pr-2 text-right text-zinc-700 tabular-nums dark:text-zinc-300">{formatDurationNs(durationNs)}</span>
      <div className={`${TIMELINE_CELL_CLASS} relative h-3 overflow-hidden`} aria-hidden="true">
        <div
          className="absolute top-0 h-full rounded-sm"
          style={{
            left: `min(${(startNs / traceNs) * 100}%, calc(100% - 2px))`,
            width: `max(2px, ${(durationNs / traceNs) * 100}%)`,
            backgroundColor: isError ? '#dc2626' : color,
          }}
        />
      </div>
    </div>
  )
}
