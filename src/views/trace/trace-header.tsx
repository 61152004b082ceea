import { useEffect, useRef, useState } from 'react'
import type { ReactNode } from 'react'
import type { TraceWarning } from '../../model/span-record.ts'
import type { Trace } from '../../model/trace.ts'
import { buildHref, followLink } from '../../state/url-params.ts'
import { useWaterfallPrefsStore } from '../../state/waterfall-prefs-store.ts'
import type { TimeMode } from '../../state/waterfall-prefs-store.ts'
import { formatCount, formatDurationNs, formatIsoTimestampNs, formatTimestampNs, pluralize } from '../../ui/format.ts'
import { pickServiceColor } from '../../ui/service-color.ts'
import { BUTTON_CLASS } from '../../ui/styles.ts'
import { CopyButton } from '../span-detail/copy-button.tsx'
import { getSpanIndexById } from './trace-analyses.ts'
import { summarizeTrace } from './trace-summary.ts'

interface TraceHeaderProps {
  readonly trace: Trace
  /** Selects a span (and the views scroll to it). */
  readonly onJumpToSpan: (index: number) => void
  /** Controls at the right of the title row (export, clock skew). */
  readonly actions?: ReactNode
}

export function TraceHeader({ trace, onJumpToSpan, actions }: TraceHeaderProps) {
  const summary = summarizeTrace(trace)
  const homeHref = buildHref({})
  const timeMode = useWaterfallPrefsStore((state) => state.timeMode)
  const setPrefs = useWaterfallPrefsStore((state) => state.setPrefs)
  return (
    <section
      data-testid="trace-header"
      className="shrink-0 border-b border-zinc-200 bg-white px-4 py-2 dark:border-zinc-800 dark:bg-zinc-900"
      aria-label="Trace summary"
    >
      <div className="flex items-center gap-3">
        <a
          href={homeHref}
          onClick={(event) => followLink(event, homeHref)}
          className="shrink-0 rounded text-xs text-zinc-500 hover:text-indigo-600 dark:text-zinc-400 dark:hover:text-indigo-300"
        >
          ← All traces
        </a>
        <h1 className="flex min-w-0 items-center gap-2 text-base font-semibold">
          <span className="size-3 shrink-0 rounded-sm" style={{ backgroundColor: pickServiceColor(summary.rootService) }} aria-hidden="true" />
          <span className="truncate" title={`${summary.rootService}: ${summary.rootName}`}>
            <span data-testid="root-service" className="font-normal text-zinc-600 dark:text-zinc-300">
              {summary.rootService || 'unknown service'}
            </span>
            <span className="mx-1.5 font-normal text-zinc-400">›</span>
            <span data-testid="root-operation">{summary.rootName || '(no name)'}</span>
          </span>
          {summary.isRootMissing && (
            <span className="shrink-0 rounded bg-amber-100 px-1.5 py-px text-[11px] font-medium text-amber-800 dark:bg-amber-900/50 dark:text-amber-200">
              root span missing
            </span>
          )}
        </h1>
        <div className="ml-auto flex shrink-0 items-center gap-2">
          {actions}
          <CopyLinkButton />
        </div>
      </div>
      <dl className="mt-1.5 flex flex-wrap items-center gap-x-5 gap-y-1 text-xs">
        <Stat label="Trace ID">
          <span className="flex items-center gap-1.5">
            <span data-testid="trace-id" className="font-mono select-all">
              {trace.traceId}
            </span>
            <CopyButton text={trace.traceId} label="Copy" title="Copy the trace id" testId="copy-trace-id" />
          </span>
        </Stat>
        <Stat label="Start">
          <span className="flex items-center gap-1.5">
            <span data-testid="trace-start" title={formatIsoTimestampNs(trace.startTimeNs)}>
              {formatStart(trace.startTimeNs, timeMode)}
            </span>
            <button
              type="button"
              data-testid="time-mode-toggle"
              data-mode={timeMode}
              onClick={() => setPrefs({ timeMode: timeMode === 'utc' ? 'local' : 'utc' })}
              title={timeMode === 'utc' ? 'Shown in UTC: click for local time' : 'Shown in local time: click for UTC'}
              className="rounded border border-zinc-300 px-1 py-px text-[10px] font-medium text-zinc-600 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800"
            >
              {timeMode === 'utc' ? 'UTC' : localZoneName()}
            </button>
          </span>
        </Stat>
        <Stat label="Duration">{formatDurationNs(trace.durationNs)}</Stat>
        <Stat label="Spans">
          {formatCount(trace.spanCount)}
          {trace.inputSpanCount !== trace.spanCount && <span className="text-zinc-500 dark:text-zinc-400"> (of {formatCount(trace.inputSpanCount)} read)</span>}
        </Stat>
        <Stat label="Services">{formatCount(summary.serviceCount)}</Stat>
        <Stat label="Depth">{formatCount(trace.maxDepth + 1)}</Stat>
        {summary.rootCount > 1 && <Stat label="Roots">{formatCount(summary.rootCount)}</Stat>}
        <Stat label="Errors">
          {trace.errorCount > 0 ? (
            <span data-testid="error-count" className="font-semibold text-red-600 dark:text-red-400">
              {formatCount(trace.errorCount)}
            </span>
          ) : (
            <span data-testid="error-count">0</span>
          )}
        </Stat>
        {trace.warnings.length > 0 && <WarningsButton trace={trace} onJumpToSpan={onJumpToSpan} />}
      </dl>
    </section>
  )
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0')
}

/** The trace start in local time (the shared formatter) or UTC, to the millisecond. */
function formatStart(timeNs: bigint, mode: TimeMode): string {
  if (mode === 'local') return formatTimestampNs(timeNs)
  const date = new Date(Number(timeNs / 1_000_000n))
  if (Number.isNaN(date.getTime())) return '—'
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)} UTC`
}

let zoneName: string | undefined

/** The local time zone's short name; creating the formatter costs 5 ms, so once per page. */
function localZoneName(): string {
  if (zoneName !== undefined) return zoneName
  try {
    const part = new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' }).formatToParts(new Date()).find((p) => p.type === 'timeZoneName')
    zoneName = part?.value ?? 'local'
  } catch {
    zoneName = 'local'
  }
  return zoneName
}

function Stat({ label, children }: { readonly label: string; readonly children: ReactNode }) {
  return (
    <div className="flex items-baseline gap-1.5">
      <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="text-zinc-900 tabular-nums dark:text-zinc-100">{children}</dd>
    </div>
  )
}

/** The amber warnings count; opens the list, whose entries jump to (and step through) the spans they name. */
function WarningsButton({ trace, onJumpToSpan }: { readonly trace: Trace; readonly onJumpToSpan: (index: number) => void }) {
  const [isOpen, setOpen] = useState(false)
  /** The list opens toward the side with room: right-aligned when the button sits in the right half. */
  const [isRightAligned, setRightAligned] = useState(false)
  const rootRef = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!isOpen) return
    const onPointerDown = (event: PointerEvent) => {
      if (rootRef.current && !rootRef.current.contains(event.target as Node)) setOpen(false)
    }
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault()
        setOpen(false)
      }
    }
    document.addEventListener('pointerdown', onPointerDown)
    document.addEventListener('keydown', onKeyDown, true)
    return () => {
      document.removeEventListener('pointerdown', onPointerDown)
      document.removeEventListener('keydown', onKeyDown, true)
    }
  }, [isOpen])
  return (
    <div ref={rootRef} className="relative">
      <button
        type="button"
        data-testid="warnings-button"
        aria-expanded={isOpen}
        onClick={(event) => {
          const box = event.currentTarget.getBoundingClientRect()
          setRightAligned(box.left > window.innerWidth / 2)
          setOpen(!isOpen)
        }}
        className="inline-flex items-center gap-1 rounded bg-amber-100 px-1.5 py-px text-[11px] font-medium text-amber-800 hover:bg-amber-200 dark:bg-amber-900/50 dark:text-amber-200 dark:hover:bg-amber-900"
      >
        <svg viewBox="0 0 16 16" className="size-3" fill="currentColor" aria-hidden="true">
          <path d="M6.46 1.9a1.75 1.75 0 0 1 3.08 0l5.2 9.6A1.75 1.75 0 0 1 13.2 14H2.8a1.75 1.75 0 0 1-1.54-2.5l5.2-9.6ZM8 5a.75.75 0 0 0-.75.75v3a.75.75 0 0 0 1.5 0v-3A.75.75 0 0 0 8 5Zm0 7a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z" />
        </svg>
        {pluralize(trace.warnings.length, 'warning')}
      </button>
      {isOpen && (
        <div
          data-testid="warnings-list"
          role="dialog"
          aria-label="Trace warnings"
          className={`absolute top-full ${isRightAligned ? 'right-0' : 'left-0'} z-40 mt-1 max-h-96 w-[min(36rem,80vw)] overflow-auto rounded-lg border border-zinc-200 bg-white p-2 text-xs shadow-lg dark:border-zinc-700 dark:bg-zinc-900`}
        >
          <ul className="space-y-1.5">
            {trace.warnings.map((warning, i) => (
              <WarningItem key={i} trace={trace} warning={warning} onJumpToSpan={onJumpToSpan} />
            ))}
          </ul>
        </div>
      )}
    </div>
  )
}

function WarningItem({
  trace,
  warning,
  onJumpToSpan,
}: {
  readonly trace: Trace
  readonly warning: TraceWarning
  readonly onJumpToSpan: (index: number) => void
}) {
  const [position, setPosition] = useState(-1)
  const byId = getSpanIndexById(trace)
  const indexes = warning.spanIds.map((id) => byId.get(id)).filter((index): index is number => index !== undefined)
  const jump = (next: number) => {
    const wrapped = (next + indexes.length) % indexes.length
    setPosition(wrapped)
    onJumpToSpan(indexes[wrapped] as number)
  }
  return (
    <li data-testid="warning-item" className="rounded border border-zinc-100 px-2 py-1.5 dark:border-zinc-800">
      <div className="flex items-start gap-2">
        <span className="shrink-0 rounded bg-amber-100 px-1 text-[10px] text-amber-800 dark:bg-amber-900/50 dark:text-amber-200">{warning.kind}</span>
        <span className="min-w-0 flex-1 break-words text-zinc-800 dark:text-zinc-200">{warning.message}</span>
      </div>
      {indexes.length > 0 && (
        <div className="mt-1 flex items-center gap-1 text-zinc-500 dark:text-zinc-400">
          <button
            type="button"
            data-testid="warning-prev"
            className={`${BUTTON_CLASS} !px-1.5 !py-0`}
            onClick={() => jump(position < 0 ? indexes.length - 1 : position - 1)}
            aria-label="Previous span of this warning"
          >
            ◀
          </button>
          <button
            type="button"
            data-testid="warning-next"
            className={`${BUTTON_CLASS} !px-1.5 !py-0`}
            onClick={() => jump(position + 1)}
            aria-label="Next span of this warning"
          >
            ▶
          </button>
          <span className="tabular-nums">{position < 0 ? pluralize(indexes.length, 'span') : `span ${position + 1} of ${indexes.length}`}</span>
          {warning.spanIds.length > indexes.length && <span>({warning.spanIds.length - indexes.length} not in this trace)</span>}
        </div>
      )}
    </li>
  )
}

function CopyLinkButton() {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  const copy = () => {
    void navigator.clipboard?.writeText(window.location.href).then(
      () => setState('copied'),
      () => setState('failed'),
    )
    window.setTimeout(() => setState('idle'), 1500)
  }
  return (
    <button
      type="button"
      data-testid="copy-link"
      className={`${BUTTON_CLASS} shrink-0`}
      onClick={copy}
      title="Copy a link that reopens this trace as you see it"
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy link'}
    </button>
  )
}
