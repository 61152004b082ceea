import { useDeferredValue, useMemo, useState } from 'react'
import { computeStatistics } from '../../model/analyses/statistics.ts'
import type { StatisticsGroupBy, StatisticsRow } from '../../model/analyses/statistics.ts'
import type { Trace } from '../../model/trace.ts'
import { useSpanTreeStore } from '../../state/span-tree-store.ts'
import { useThemeStore } from '../../state/theme-store.ts'
import { formatCount, formatDurationNs, pluralize } from '../../ui/format.ts'
import { pickServiceColor } from '../../ui/service-color.ts'
import { BUTTON_CLASS, INPUT_CLASS } from '../../ui/styles.ts'
import { getCriticalPath, getSelfTimes } from '../trace/trace-analyses.ts'
import {
  columnMaxima,
  columnValue,
  decodeGroupBy,
  encodeGroupBy,
  filterStatisticsRows,
  flattenStatisticsRows,
  groupByName,
  heatOf,
  listAttributeKeys,
  nextSort,
  rowLabel,
  sortStatisticsRows,
} from './layout.ts'
import type { NumericColumn, StatisticsColumn, StatisticsDisplayRow, StatisticsSort } from './layout.ts'
import { openWaterfall } from './open-waterfall.ts'
import { selectSpanFilter, useSpanFilterStore } from './span-filter-store.ts'

const SELECT_CLASS =
  'max-w-56 rounded-md border border-zinc-300 bg-white px-1.5 py-1 text-xs text-zinc-900 focus:border-indigo-500 focus:outline-none dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100'
/** Rows rendered at first; a high-cardinality attribute can make thousands. */
const ROW_PAGE = 300

interface ColumnDef {
  readonly id: NumericColumn
  readonly label: string
  readonly title: string
  readonly format: (row: StatisticsRow) => string
}

const formatPercent = (fraction: number) => (fraction > 0 && fraction < 0.001 ? '<0.1%' : `${(fraction * 100).toFixed(fraction < 0.1 ? 1 : 0)}%`)

const COLUMNS: readonly ColumnDef[] = [
  { id: 'count', label: 'Count', title: 'Spans in the group', format: (row) => formatCount(row.count) },
  { id: 'total', label: 'Total', title: 'Summed duration', format: (row) => formatDurationNs(row.totalNs) },
  { id: 'avg', label: 'Avg', title: 'Average duration', format: (row) => formatDurationNs(row.avgNs) },
  { id: 'min', label: 'Min', title: 'Shortest span', format: (row) => formatDurationNs(row.minNs) },
  { id: 'max', label: 'Max', title: 'Longest span', format: (row) => formatDurationNs(row.maxNs) },
  { id: 'self-total', label: 'Self total', title: 'Summed self time (duration minus time in children)', format: (row) => formatDurationNs(row.selfTotalNs) },
  { id: 'self-avg', label: 'Self avg', title: 'Average self time', format: (row) => formatDurationNs(row.selfAvgNs) },
  {
    id: 'share',
    label: '% of trace',
    title: 'Self time as a share of the trace duration (parallel work can add up to more than 100%)',
    format: (row) => formatPercent(row.selfShareOfTrace),
  },
  {
    id: 'critical',
    label: 'Critical path',
    title: 'Time on the critical path, and its share of the path',
    format: (row) => (row.criticalPathNs > 0 ? `${formatDurationNs(row.criticalPathNs)} · ${formatPercent(row.criticalPathShare)}` : '—'),
  },
]

/**
 * Per-group statistics of one trace: group by service, operation or any attribute, with an
 * optional second level; sortable by any column, filterable by text, each numeric column
 * heat-coloured on its own scale. A click on a row filters the waterfall to that group's spans
 * (`useSpanFilterStore`) and selects its first span.
 */
export function StatisticsView({ trace }: { readonly trace: Trace }) {
  const [groupBy, setGroupBy] = useState<StatisticsGroupBy>('service')
  const [thenBy, setThenBy] = useState<StatisticsGroupBy | undefined>(undefined)
  const [sort, setSort] = useState<StatisticsSort>({ column: 'total', direction: 'desc' })
  const [filterText, setFilterText] = useState('')
  const deferredFilter = useDeferredValue(filterText)
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set())
  const [limit, setLimit] = useState(ROW_PAGE)
  const theme = useThemeStore((state) => state.theme)
  const spanFilter = useSpanFilterStore((state) => selectSpanFilter(state, trace))
  const setSpanFilter = useSpanFilterStore((state) => state.setSpanFilter)
  const select = useSpanTreeStore((state) => state.select)

  const attributeKeys = useMemo(() => listAttributeKeys(trace), [trace])
  const statistics = useMemo(
    () => computeStatistics(trace, { groupBy, thenBy }, { selfTimes: getSelfTimes(trace), criticalPath: getCriticalPath(trace) }),
    [trace, groupBy, thenBy],
  )
  const sorted = useMemo(() => sortStatisticsRows(statistics.rows, sort), [statistics, sort])
  const filtered = useMemo(() => filterStatisticsRows(sorted, deferredFilter), [sorted, deferredFilter])
  const maxima = useMemo(() => columnMaxima(statistics.rows), [statistics])
  const displayRows = useMemo(() => flattenStatisticsRows(filtered, collapsed), [filtered, collapsed])

  const applyRow = (display: StatisticsDisplayRow) => {
    const { row, parent } = display
    const label =
      parent && thenBy !== undefined
        ? `${groupByName(groupBy)} = ${rowLabel(parent)}, ${groupByName(thenBy)} = ${rowLabel(row)}`
        : `${groupByName(display.level === 1 && thenBy !== undefined ? thenBy : groupBy)} = ${rowLabel(row)}`
    setSpanFilter({ trace, indexes: row.spanIndexes, label })
    const first = row.spanIndexes[0]
    if (first !== undefined) select(trace, first)
  }

  const activeId = spanFilter ? findActiveRow(displayRows, spanFilter.indexes) : undefined
  const groupOptions = (
    <>
      <option value="service">Service</option>
      <option value="operation">Operation</option>
      {attributeKeys.length > 0 && (
        <optgroup label="Attribute">
          {attributeKeys.map(({ key, spanCount }) => (
            <option key={key} value={`attr:${key}`}>
              {key} ({formatCount(spanCount)})
            </option>
          ))}
        </optgroup>
      )}
    </>
  )
  return (
    <div data-testid="statistics" className="flex min-h-0 min-w-0 flex-1 flex-col">
      <div className="flex shrink-0 flex-wrap items-center gap-2 border-b border-zinc-200 px-3 py-1.5 dark:border-zinc-800">
        <label className="flex items-center gap-1 text-xs text-zinc-600 dark:text-zinc-300">
          Group by
          <select
            data-testid="statistics-group-by"
            value={encodeGroupBy(groupBy)}
            onChange={(event) => {
              setGroupBy(decodeGroupBy(event.target.value) ?? 'service')
              setCollapsed(new Set())
              setLimit(ROW_PAGE)
            }}
            className={SELECT_CLASS}
          >
            {groupOptions}
          </select>
        </label>
        <label className="flex items-center gap-1 text-xs text-zinc-600 dark:text-zinc-300">
          then by
          <select
            data-testid="statistics-then-by"
            value={encodeGroupBy(thenBy)}
            onChange={(event) => {
              setThenBy(decodeGroupBy(event.target.value))
              setCollapsed(new Set())
            }}
            className={SELECT_CLASS}
          >
            <option value="none">—</option>
            {groupOptions}
          </select>
        </label>
        <input
          type="search"
          data-testid="statistics-filter"
          value={filterText}
          onChange={(event) => setFilterText(event.target.value)}
          placeholder="Filter rows"
          aria-label="Filter rows"
          className={`${INPUT_CLASS} max-w-56`}
        />
        <span className="text-xs text-zinc-500 dark:text-zinc-400">
          {pluralize(filtered.length, 'group')} · {pluralize(trace.spanCount, 'span')}
        </span>
        {spanFilter && (
          <span
            data-testid="statistics-active-filter"
            className="ml-auto flex min-w-0 items-center gap-2 rounded-md bg-indigo-50 px-2 py-0.5 text-xs text-indigo-900 dark:bg-indigo-950/60 dark:text-indigo-100"
          >
            <span className="truncate">
              Waterfall shows {pluralize(spanFilter.indexes.length, 'span')}: {spanFilter.label}
            </span>
            <button type="button" className="shrink-0 font-medium underline-offset-2 hover:underline" onClick={openWaterfall}>
              Open waterfall
            </button>
            <button type="button" data-testid="statistics-clear-filter" className={BUTTON_CLASS} onClick={() => setSpanFilter(undefined)}>
              Clear
            </button>
          </span>
        )}
      </div>
      <div className="min-h-0 flex-1 overflow-auto">
        <table data-testid="statistics-table" className="w-full min-w-[960px] border-collapse text-xs">
          <thead className="sticky top-0 z-10 bg-white shadow-[0_1px_0_var(--color-zinc-200)] dark:bg-zinc-900 dark:shadow-[0_1px_0_var(--color-zinc-800)]">
            <tr>
              <HeaderCell column="key" label={groupByName(groupBy) + (thenBy ? ` › ${groupByName(thenBy)}` : '')} sort={sort} onSort={setSort} isText />
              {COLUMNS.map((column) => (
                <HeaderCell key={column.id} column={column.id} label={column.label} title={column.title} sort={sort} onSort={setSort} />
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
            {displayRows.slice(0, limit).map((display) => (
              <StatisticsTableRow
                key={display.id}
                display={display}
                maxima={maxima}
                theme={theme}
                isActive={display.id === activeId}
                onApply={() => applyRow(display)}
                onToggle={() =>
                  setCollapsed((current) => {
                    const next = new Set(current)
                    if (!next.delete(display.id)) next.add(display.id)
                    return next
                  })
                }
              />
            ))}
          </tbody>
          <tfoot className="border-t-2 border-zinc-200 font-semibold dark:border-zinc-700">
            <tr data-testid="statistics-total">
              <td className="px-3 py-1.5">All spans</td>
              {COLUMNS.map((column) => (
                <td key={column.id} className="px-3 py-1.5 text-right whitespace-nowrap tabular-nums">
                  {column.format(statistics.total)}
                </td>
              ))}
            </tr>
          </tfoot>
        </table>
        {displayRows.length > limit && (
          <div className="p-3">
            <button type="button" className={BUTTON_CLASS} onClick={() => setLimit((current) => current + ROW_PAGE * 4)}>
              Show more ({formatCount(displayRows.length - limit)} rows hidden)
            </button>
          </div>
        )}
        {displayRows.length === 0 && <p className="p-4 text-xs text-zinc-500 dark:text-zinc-400">No group matches “{deferredFilter}”.</p>}
      </div>
    </div>
  )
}

/** The row whose spans are the active filter (first match), to highlight it. */
function findActiveRow(rows: readonly StatisticsDisplayRow[], indexes: Int32Array): string | undefined {
  for (const display of rows) {
    const candidate = display.row.spanIndexes
    if (candidate === indexes) return display.id
  }
  return undefined
}

function HeaderCell({
  column,
  label,
  title,
  sort,
  onSort,
  isText = false,
}: {
  readonly column: StatisticsColumn
  readonly label: string
  readonly title?: string
  readonly sort: StatisticsSort
  readonly onSort: (sort: StatisticsSort) => void
  readonly isText?: boolean
}) {
  const isSorted = sort.column === column
  return (
    <th
      scope="col"
      aria-sort={isSorted ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
      className={`px-0 py-0 text-[11px] font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400 ${isText ? 'text-left' : 'text-right'}`}
    >
      <button
        type="button"
        data-testid={`statistics-sort-${column}`}
        title={title}
        onClick={() => onSort(nextSort(sort, column))}
        className={`flex w-full items-center gap-1 px-3 py-1.5 whitespace-nowrap uppercase hover:text-zinc-900 dark:hover:text-white ${isText ? 'justify-start' : 'justify-end'} ${isSorted ? 'text-zinc-900 dark:text-white' : ''}`}
      >
        {label}
        <span aria-hidden="true" className={isSorted ? '' : 'invisible'}>
          {sort.direction === 'asc' && isSorted ? '▲' : '▼'}
        </span>
      </button>
    </th>
  )
}

function StatisticsTableRow({
  display,
  maxima,
  theme,
  isActive,
  onApply,
  onToggle,
}: {
  readonly display: StatisticsDisplayRow
  readonly maxima: Record<NumericColumn, number>
  readonly theme: 'light' | 'dark'
  readonly isActive: boolean
  readonly onApply: () => void
  readonly onToggle: () => void
}) {
  const { row, level } = display
  const swatchService = row.service ?? (row.isMissing ? undefined : row.key)
  return (
    <tr
      data-testid="statistics-row"
      data-level={level}
      data-key={row.key}
      aria-selected={isActive}
      tabIndex={0}
      onClick={onApply}
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault()
          onApply()
        }
      }}
      title={`Show these ${formatCount(row.count)} spans in the waterfall`}
      className={`cursor-pointer ${isActive ? 'outline-2 -outline-offset-2 outline-indigo-500' : 'hover:bg-zinc-50 dark:hover:bg-zinc-800/50'}`}
    >
      <td className="max-w-0 px-3 py-1" style={{ width: '26%' }}>
        <div className="flex min-w-0 items-center gap-1.5" style={{ paddingLeft: level * 18 }}>
          {display.hasChildren ? (
            <button
              type="button"
              aria-label={display.isExpanded ? 'Collapse' : 'Expand'}
              aria-expanded={display.isExpanded}
              onClick={(event) => {
                event.stopPropagation()
                onToggle()
              }}
              className="flex size-4 shrink-0 items-center justify-center rounded text-zinc-500 hover:bg-zinc-200 dark:hover:bg-zinc-700"
            >
              {display.isExpanded ? '▾' : '▸'}
            </button>
          ) : (
            level === 0 && <span className="size-4 shrink-0" />
          )}
          {swatchService !== undefined && (
            <span className="size-2.5 shrink-0 rounded-sm" style={{ backgroundColor: pickServiceColor(swatchService) }} aria-hidden="true" />
          )}
          <span className={`truncate ${row.isMissing ? 'text-zinc-400 italic' : 'text-zinc-900 dark:text-zinc-100'} ${level === 0 ? 'font-medium' : ''}`}>
            {row.service !== undefined && <span className="text-zinc-500 dark:text-zinc-400">{row.service} · </span>}
            {row.key === '' ? '(empty)' : row.key}
          </span>
        </div>
      </td>
      {COLUMNS.map((column) => {
        const heat = heatOf(columnValue(row, column.id), maxima[column.id])
        return (
          <td
            key={column.id}
            className="px-3 py-1 text-right whitespace-nowrap text-zinc-800 tabular-nums dark:text-zinc-100"
            style={{ backgroundColor: heatColor(heat, theme) }}
          >
            {column.format(row)}
          </td>
        )
      })}
    </tr>
  )
}

/**
 * A cell's heat as a translucent orange over the theme's background: the text colour stays the
 * theme's, so it reads in both themes (max 45 % light, 40 % dark, where orange glows more).
 */
function heatColor(heat: number, theme: 'light' | 'dark'): string | undefined {
  if (heat <= 0) return undefined
  const alpha = (theme === 'dark' ? 0.04 + 0.36 * heat : 0.04 + 0.41 * heat).toFixed(3)
  return theme === 'dark' ? `rgba(234, 88, 12, ${alpha})` : `rgba(249, 115, 22, ${alpha})`
}
