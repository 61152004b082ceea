import { useState } from 'react'
import type { ReactNode } from 'react'
import type { Trace } from '../../model/trace.ts'
import { buildHref, followLink } from '../../state/url-params.ts'
import { formatCount, formatDurationNs, formatIsoTimestampNs, formatTimestampNs, pluralize } from '../../ui/format.ts'
import { pickServiceColor } from '../../ui/service-color.ts'
import { BUTTON_CLASS } from '../../ui/styles.ts'
import { summarizeTrace } from './trace-summary.ts'

export function TraceHeader({ trace }: { readonly trace: Trace }) {
  const summary = summarizeTrace(trace)
  const homeHref = buildHref({})
  return (
    <section
      data-testid="trace-header"
      className="shrink-0 border-b border-zinc-200 bg-white px-4 py-3 dark:border-zinc-800 dark:bg-zinc-900"
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
            <span className="font-normal text-zinc-600 dark:text-zinc-300">{summary.rootService || 'unknown service'}</span>
            <span className="mx-1.5 font-normal text-zinc-400">›</span>
            {summary.rootName || '(no name)'}
          </span>
          {summary.isRootMissing && (
            <span className="shrink-0 rounded bg-amber-100 px-1.5 py-px text-[11px] font-medium text-amber-800 dark:bg-amber-900/50 dark:text-amber-200">
              root span missing
            </span>
          )}
        </h1>
        <CopyLinkButton />
      </div>
      <dl className="mt-2 flex flex-wrap gap-x-6 gap-y-1 text-xs">
        <Stat label="Trace ID">
          <span data-testid="trace-id" className="font-mono select-all">
            {trace.traceId}
          </span>
        </Stat>
        <Stat label="Start">
          <span title={formatIsoTimestampNs(trace.startTimeNs)}>{formatTimestampNs(trace.startTimeNs)}</span>
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
          {trace.errorCount > 0 ? <span className="font-semibold text-red-600 dark:text-red-400">{formatCount(trace.errorCount)}</span> : '0'}
        </Stat>
      </dl>
      {trace.warnings.length > 0 && (
        <details data-testid="trace-warnings" className="mt-2 text-xs" open={trace.warnings.length <= 3}>
          <summary className="cursor-pointer text-amber-700 select-none dark:text-amber-300">{pluralize(trace.warnings.length, 'warning')}</summary>
          <ul className="mt-1 ml-4 list-disc space-y-0.5 text-zinc-700 dark:text-zinc-300">
            {trace.warnings.map((warning, i) => (
              <li key={i} className="break-words">
                {warning.message}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  )
}

function Stat({ label, children }: { readonly label: string; readonly children: ReactNode }) {
  return (
    <div className="flex items-baseline gap-1.5">
      <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="text-zinc-900 tabular-nums dark:text-zinc-100">{children}</dd>
    </div>
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
    <button type="button" data-testid="copy-link" className={`${BUTTON_CLASS} ml-auto shrink-0`} onClick={copy} title="Copy a link that reopens this trace">
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy link'}
    </button>
  )
}
