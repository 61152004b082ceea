import { memo } from 'react'
import { StatusCode } from '../../model/span-record.ts'
import { SpanFlag, spanName, spanService } from '../../model/trace.ts'
import type { Trace } from '../../model/trace.ts'
import { formatCount, pluralize } from '../../ui/format.ts'
import { describeSpanFlags } from '../trace/span-flags.ts'
import { ROW_HEIGHT_PX } from './renderer.ts'
import { rowElementId } from './row-id.ts'
import { summarizeDescendants, summarizeHiddenRun } from './trace-derived.ts'

/**
 * The span-tree column: one DOM row per row on screen (never per span of the trace), positioned
 * by the viewport. Rows are memoized on plain props so scrolling re-renders only the rows that
 * arrive. Clicks are handled by the viewport (event delegation on `data-row`/`data-action`).
 */

export const INDENT_PX = 14
/** Deeper rows stop moving right (a 10,000-deep chain would leave the screen) and show their depth instead. */
export const MAX_INDENT_LEVELS = 30
export const TREE_PADDING_PX = 6

interface TreeRowProps {
  readonly trace: Trace
  readonly index: number
  readonly row: number
  readonly topPx: number
  readonly color: string
  readonly isSelected: boolean
  readonly isCollapsed: boolean
  readonly isMatch: boolean
  readonly isCurrentMatch: boolean
  /** Lower-cased text to mark in the name (the first plain search term found in it). */
  readonly markText: string | undefined
  /** Depth of the selected span when this row is inside its subtree: its guide is drawn strong. */
  readonly selectedDepth: number | undefined
}

export const TreeRow = memo(function TreeRow({
  trace,
  index,
  row,
  topPx,
  color,
  isSelected,
  isCollapsed,
  isMatch,
  isCurrentMatch,
  markText,
  selectedDepth,
}: TreeRowProps) {
  const depth = trace.depth[index] as number
  const levels = Math.min(depth, MAX_INDENT_LEVELS)
  const indentPx = levels * INDENT_PX
  const service = spanService(trace, index)
  const name = spanName(trace, index)
  const isError = trace.status[index] === StatusCode.Error
  const flags = trace.flags[index] as number
  const isParent = (trace.subtreeEnd[index] as number) > index + 1
  const parent = trace.parentIndex[index] as number
  const hidden = isCollapsed && isParent ? summarizeDescendants(trace, index) : undefined
  const background = isSelected
    ? 'bg-indigo-100 dark:bg-indigo-900/60'
    : isCurrentMatch
      ? 'bg-amber-200 dark:bg-amber-700/50'
      : isMatch
        ? 'bg-amber-100 dark:bg-amber-900/40'
        : 'hover:bg-zinc-100 data-[hovered=true]:bg-zinc-100 dark:hover:bg-zinc-800/70 dark:data-[hovered=true]:bg-zinc-800/70'

  return (
    <div
      id={rowElementId(index)}
      data-testid="span-row"
      data-span-index={index}
      data-row={row}
      data-match={isMatch ? 'true' : undefined}
      role="treeitem"
      aria-level={depth + 1}
      aria-expanded={isParent ? !isCollapsed : undefined}
      aria-selected={isSelected}
      className={`absolute right-0 left-0 flex cursor-default items-center gap-1.5 pr-2 text-xs select-none ${background}`}
      style={{ top: topPx, height: ROW_HEIGHT_PX, paddingLeft: TREE_PADDING_PX + indentPx }}
    >
      {levels > 0 && (
        <span
          aria-hidden="true"
          className="pointer-events-none absolute inset-y-0 [--guide:var(--color-zinc-300)] dark:[--guide:var(--color-zinc-700)]"
          style={{
            left: TREE_PADDING_PX,
            width: indentPx,
            backgroundImage: 'linear-gradient(to right, var(--guide) 1px, transparent 1px)',
            backgroundSize: `${INDENT_PX}px 100%`,
            backgroundPosition: '8px 0',
            backgroundRepeat: 'repeat-x',
          }}
        />
      )}
      {selectedDepth !== undefined && selectedDepth < MAX_INDENT_LEVELS && (
        <span
          aria-hidden="true"
          className="pointer-events-none absolute inset-y-0 w-0.5 bg-indigo-500 dark:bg-indigo-400"
          style={{ left: TREE_PADDING_PX + selectedDepth * INDENT_PX + 7.5 }}
        />
      )}
      {depth > MAX_INDENT_LEVELS && (
        <span className="shrink-0 rounded bg-zinc-200 px-1 text-[10px] text-zinc-600 tabular-nums dark:bg-zinc-700 dark:text-zinc-300" title={`Depth ${depth}`}>
          {depth}
        </span>
      )}
      {isParent ? (
        <button
          type="button"
          tabIndex={-1}
          data-action="toggle"
          aria-label={isCollapsed ? 'Expand' : 'Collapse'}
          title={isCollapsed ? 'Expand (Alt+click: the whole subtree)' : 'Collapse (Alt+click: the whole subtree)'}
          className="relative flex size-4 shrink-0 items-center justify-center rounded bg-white text-zinc-500 hover:bg-zinc-200 hover:text-zinc-900 dark:bg-zinc-950 dark:text-zinc-400 dark:hover:bg-zinc-700 dark:hover:text-white"
        >
          <svg
            viewBox="0 0 16 16"
            className={`pointer-events-none size-3 transition-transform ${isCollapsed ? '' : 'rotate-90'}`}
            fill="currentColor"
            aria-hidden="true"
          >
            <path d="M6 4l4 4-4 4z" />
          </svg>
        </button>
      ) : (
        <span className="size-4 shrink-0" />
      )}
      <span className="relative size-2 shrink-0 rounded-sm" style={{ backgroundColor: color }} aria-hidden="true" />
      {/* The service shows where it changes (a root, or a call into another service); the colour says it on every row. */}
      {(parent < 0 || trace.serviceIndex[parent] !== trace.serviceIndex[index]) && (
        <span className="relative max-w-[40%] shrink-0 truncate text-zinc-500 dark:text-zinc-400" title={service}>
          {service}
        </span>
      )}
      <span
        className={`relative min-w-0 truncate font-medium ${isError ? 'text-red-700 dark:text-red-400' : 'text-zinc-900 dark:text-zinc-100'}`}
        title={`${service}: ${name}`}
      >
        <MarkedText text={name} mark={markText} />
      </span>
      {isError && (
        <span
          data-testid="span-error"
          className="relative flex size-3.5 shrink-0 items-center justify-center rounded-full bg-red-600 text-[9px] font-bold text-white"
          title={`Error${trace.spans[index]?.statusMessage ? `: ${trace.spans[index]?.statusMessage}` : ''}`}
          aria-label="error"
        >
          !
        </span>
      )}
      {(flags & SpanFlag.HasWarning) !== 0 && (
        <span
          className="relative shrink-0 text-amber-600 dark:text-amber-400"
          title={describeSpanFlags(flags).join('\n')}
          aria-label={`warning: ${describeSpanFlags(flags).join('; ')}`}
        >
          <svg viewBox="0 0 16 16" className="size-3" fill="currentColor" aria-hidden="true">
            <path d="M6.46 1.9a1.75 1.75 0 0 1 3.08 0l5.2 9.6A1.75 1.75 0 0 1 13.2 14H2.8a1.75 1.75 0 0 1-1.54-2.5l5.2-9.6ZM8 5a.75.75 0 0 0-.75.75v3a.75.75 0 0 0 1.5 0v-3A.75.75 0 0 0 8 5Zm0 7a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z" />
          </svg>
        </span>
      )}
      {hidden && (
        <span
          data-testid="hidden-descendants"
          className={`relative flex shrink-0 items-center gap-1 rounded px-1 text-[10px] tabular-nums ${
            hidden.errorCount > 0
              ? 'bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200'
              : 'bg-zinc-200 text-zinc-700 dark:bg-zinc-700 dark:text-zinc-200'
          }`}
          title={`${pluralize(hidden.spanCount, 'hidden descendant')}${hidden.errorCount > 0 ? `, ${pluralize(hidden.errorCount, 'error')}` : ''}`}
        >
          +{formatCount(hidden.spanCount)}
          {hidden.errorCount > 0 && <span className="size-1.5 rounded-full bg-red-600" aria-label={`${hidden.errorCount} errors hidden`} />}
        </span>
      )}
    </div>
  )
})

function MarkedText({ text, mark }: { readonly text: string; readonly mark: string | undefined }) {
  const at = mark ? text.toLowerCase().indexOf(mark) : -1
  if (!mark || at < 0) return text
  return (
    <>
      {text.slice(0, at)}
      <mark className="rounded-sm bg-amber-300 text-inherit dark:bg-amber-500/60">{text.slice(at, at + mark.length)}</mark>
      {text.slice(at + mark.length)}
    </>
  )
}

interface HiddenRowProps {
  readonly trace: Trace
  readonly from: number
  readonly to: number
  readonly row: number
  readonly topPx: number
}

/** A run of spans hidden by the service filter: how many, in which services, with a button to show them. */
export const HiddenRow = memo(function HiddenRow({ trace, from, to, row, topPx }: HiddenRowProps) {
  const depth = trace.depth[from] as number
  const indentPx = Math.min(depth, MAX_INDENT_LEVELS) * INDENT_PX
  const summary = summarizeHiddenRun(trace, from, to)
  const names = summary.services.map((service) => trace.services[service] ?? '')
  const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ` +${names.length - 3}` : '')
  return (
    <div
      data-testid="hidden-row"
      data-row={row}
      className="absolute right-0 left-0 flex items-center gap-1.5 pr-2 text-xs text-zinc-500 italic select-none dark:text-zinc-400"
      style={{ top: topPx, height: ROW_HEIGHT_PX, paddingLeft: TREE_PADDING_PX + indentPx + 22 }}
    >
      <span className="min-w-0 truncate" title={`${pluralize(summary.spanCount, 'span')} hidden in ${names.join(', ')}`}>
        {pluralize(summary.spanCount, 'span')} hidden in {shown}
        {summary.errorCount > 0 && <span className="text-red-600 not-italic dark:text-red-400"> · {pluralize(summary.errorCount, 'error')}</span>}
      </span>
      <button
        type="button"
        data-action="unhide"
        data-services={summary.services.join(',')}
        className="shrink-0 rounded px-1 text-[11px] text-indigo-600 not-italic hover:bg-indigo-50 dark:text-indigo-300 dark:hover:bg-indigo-950"
      >
        show
      </button>
    </div>
  )
})
