import { useEffect, useRef, useState } from 'react'
import type { ReactNode, RefObject } from 'react'
import type { Trace } from '../../model/trace.ts'
import { formatCount } from '../../ui/format.ts'
import { BUTTON_CLASS, INPUT_CLASS } from '../../ui/styles.ts'

const TOGGLE_CLASS =
  'inline-flex items-center gap-1.5 rounded-md border px-2 py-1 text-xs font-medium shadow-xs aria-pressed:border-indigo-500 aria-pressed:bg-indigo-50 aria-pressed:text-indigo-800 dark:aria-pressed:border-indigo-400 dark:aria-pressed:bg-indigo-950 dark:aria-pressed:text-indigo-200 border-zinc-300 bg-white text-zinc-800 hover:bg-zinc-100 disabled:cursor-not-allowed disabled:opacity-50 dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-100 dark:hover:bg-zinc-700'

interface SearchBoxProps {
  readonly query: string
  readonly onQueryChange: (query: string) => void
  readonly matchCount: number
  /** 1-based position of the selected span among the matches, or 0. */
  readonly matchPosition: number
  /** A large trace's search is running (in slices): no count yet. */
  readonly isSearching: boolean
  readonly onNext: (direction: 1 | -1) => void
  readonly isOnlyMatches: boolean
  readonly onOnlyMatchesChange: (value: boolean) => void
  readonly inputRef: RefObject<HTMLInputElement | null>
}

/** Typing waits a moment before searching (a million spans take a while); Enter searches at once. */
const SEARCH_DELAY_MS = 180

export function SearchBox({
  query,
  onQueryChange,
  matchCount,
  matchPosition,
  isSearching,
  onNext,
  isOnlyMatches,
  onOnlyMatchesChange,
  inputRef,
}: SearchBoxProps) {
  // What the user is typing, until it reaches the store; the store's query otherwise (e.g. from the URL).
  const [draft, setDraft] = useState<string>()
  const text = draft ?? query
  const timerRef = useRef(0)
  useEffect(() => () => window.clearTimeout(timerRef.current), [])

  const commit = (value: string) => {
    window.clearTimeout(timerRef.current)
    onQueryChange(value)
    setDraft(undefined)
  }
  const hasQuery = query.trim() !== ''
  const isPending = draft !== undefined && draft !== query

  return (
    <div className="flex min-w-0 items-center gap-1.5">
      <div className="relative w-80 max-w-full min-w-40">
        <input
          ref={inputRef}
          type="search"
          data-testid="search-input"
          aria-label="Search spans"
          placeholder="Search name, service, key=value, id…  ( / )"
          className={`${INPUT_CLASS} pr-24`}
          value={text}
          spellCheck={false}
          onChange={(event) => {
            const value = event.target.value
            setDraft(value)
            window.clearTimeout(timerRef.current)
            timerRef.current = window.setTimeout(() => commit(value), SEARCH_DELAY_MS)
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault()
              if (isPending) commit(text)
              // The parent jumps to the first match now, or when a large trace's search ends.
              onNext(event.shiftKey ? -1 : 1)
            } else if (event.key === 'Escape') {
              event.preventDefault()
              event.stopPropagation()
              if (text !== '') commit('')
              else event.currentTarget.blur()
            }
          }}
        />
        <span
          data-testid="search-count"
          data-searching={isSearching ? 'true' : undefined}
          aria-live="polite"
          className={`pointer-events-none absolute inset-y-0 right-2 flex items-center text-[11px] tabular-nums ${
            hasQuery && matchCount === 0 && !isPending && !isSearching ? 'text-red-600 dark:text-red-400' : 'text-zinc-500 dark:text-zinc-400'
          }`}
        >
          {!hasQuery || isPending
            ? ''
            : isSearching
              ? 'searching…'
              : matchCount === 0
                ? 'no match'
                : matchPosition > 0
                  ? `${formatCount(matchPosition)} / ${formatCount(matchCount)}`
                  : `${formatCount(matchCount)}`}
        </span>
      </div>
      <button
        type="button"
        data-testid="search-prev"
        className={BUTTON_CLASS}
        disabled={matchCount === 0}
        onClick={() => onNext(-1)}
        title="Previous match (Shift+Enter)"
        aria-label="Previous match"
      >
        ↑
      </button>
      <button
        type="button"
        data-testid="search-next"
        className={BUTTON_CLASS}
        disabled={matchCount === 0}
        onClick={() => onNext(1)}
        title="Next match (Enter)"
        aria-label="Next match"
      >
        ↓
      </button>
      <button
        type="button"
        data-testid="only-matches"
        aria-pressed={isOnlyMatches}
        className={TOGGLE_CLASS}
        disabled={!hasQuery}
        onClick={() => onOnlyMatchesChange(!isOnlyMatches)}
        title="Show only the matching spans and their ancestors"
      >
        Only matches
      </button>
    </div>
  )
}

export function ToggleButton({
  testId,
  isPressed,
  onChange,
  title,
  disabled = false,
  children,
}: {
  readonly testId: string
  readonly isPressed: boolean
  readonly onChange: (value: boolean) => void
  readonly title: string
  readonly disabled?: boolean
  readonly children: ReactNode
}) {
  return (
    <button
      type="button"
      data-testid={testId}
      aria-pressed={isPressed}
      className={TOGGLE_CLASS}
      disabled={disabled}
      onClick={() => onChange(!isPressed)}
      title={title}
    >
      {children}
    </button>
  )
}

interface ServiceLegendProps {
  readonly trace: Trace
  readonly colors: readonly string[]
  readonly spanCounts: Int32Array
  readonly hidden: ReadonlySet<number>
  readonly onToggle: (service: number) => void
  readonly onSolo: (service: number) => void
  readonly onShowAll: () => void
}

/** One chip per service (colour, name, span count), most spans first; a click hides or shows the service, Shift+click shows it alone. */
/** Chips shown before "+N more": a 20-service trace should not push the waterfall down by three lines. */
const COLLAPSED_LEGEND_CHIPS = 10

export function ServiceLegend({ trace, colors, spanCounts, hidden, onToggle, onSolo, onShowAll }: ServiceLegendProps) {
  const [isExpanded, setExpanded] = useState(false)
  const order = trace.services.map((_, service) => service).sort((a, b) => (spanCounts[b] as number) - (spanCounts[a] as number) || a - b)
  // Collapsed, the busiest services show, and every hidden one (so it can be shown again).
  const shown =
    isExpanded || order.length <= COLLAPSED_LEGEND_CHIPS + 2 ? order : order.filter((service, rank) => rank < COLLAPSED_LEGEND_CHIPS || hidden.has(service))
  return (
    <div
      data-testid="service-legend"
      className="flex flex-wrap items-center gap-1"
      role="group"
      aria-label="Services: click to hide or show, Shift+click to show one alone"
    >
      {shown.map((service) => {
        const name = trace.services[service] ?? ''
        const isHidden = hidden.has(service)
        return (
          <button
            key={service}
            type="button"
            data-testid={`service-chip-${name}`}
            aria-pressed={!isHidden}
            onClick={(event) => (event.shiftKey ? onSolo(service) : onToggle(service))}
            title={`${name}: ${formatCount(spanCounts[service] as number)} spans. Click to ${isHidden ? 'show' : 'hide'}; Shift+click to show only this service.`}
            className={`inline-flex max-w-56 items-center gap-1 rounded-full border px-2 py-px text-[11px] ${
              isHidden
                ? 'border-dashed border-zinc-300 text-zinc-400 line-through dark:border-zinc-700 dark:text-zinc-500'
                : 'border-zinc-200 bg-white text-zinc-800 hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800'
            }`}
          >
            <span className="size-2 shrink-0 rounded-sm" style={{ backgroundColor: colors[service], opacity: isHidden ? 0.35 : 1 }} aria-hidden="true" />
            <span className="truncate">{name || '(no service)'}</span>
            <span className="text-zinc-500 tabular-nums dark:text-zinc-400">{formatCount(spanCounts[service] as number)}</span>
          </button>
        )
      })}
      {order.length > shown.length && (
        <button
          type="button"
          data-testid="service-legend-more"
          onClick={() => setExpanded(true)}
          className="rounded px-1.5 text-[11px] text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
        >
          +{order.length - shown.length} more
        </button>
      )}
      {isExpanded && order.length > COLLAPSED_LEGEND_CHIPS + 2 && (
        <button
          type="button"
          onClick={() => setExpanded(false)}
          className="rounded px-1.5 text-[11px] text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
        >
          fewer
        </button>
      )}
      {hidden.size > 0 && (
        <button
          type="button"
          data-testid="service-show-all"
          onClick={onShowAll}
          className="rounded px-1.5 text-[11px] text-indigo-600 hover:bg-indigo-50 dark:text-indigo-300 dark:hover:bg-indigo-950"
        >
          show all
        </button>
      )}
    </div>
  )
}
