import { useTracesStore } from '../../state/traces-store.ts'
import type { LoadedInput } from '../../state/traces-store.ts'
import { formatBytes, pluralize } from '../../ui/format.ts'
import { WarningBadge } from '../../ui/warning-badge.tsx'
import { labelFormat } from './format-labels.ts'

const KIND_LABELS: Record<LoadedInput['kind'], string> = { file: 'file', paste: 'pasted', url: 'URL' }

/** One line per input: what it was found to be, or why it could not be read. */
export function FileStatusList() {
  const inputs = useTracesStore((state) => state.inputs)
  if (inputs.length === 0) return null
  return (
    <ul className="flex flex-col divide-y divide-zinc-100 text-xs dark:divide-zinc-800" aria-label="Loaded inputs">
      {inputs.map((input) => (
        <FileStatusRow key={input.id} input={input} />
      ))}
    </ul>
  )
}

function FileStatusRow({ input }: { readonly input: LoadedInput }) {
  return (
    <li data-testid="file-status" data-status={input.status} className="flex items-start gap-2 py-1.5">
      <StatusIcon status={input.status} />
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-baseline gap-x-3 gap-y-0.5">
          <span className="max-w-full truncate font-medium text-zinc-800 dark:text-zinc-100" title={input.url ?? input.name}>
            {input.name}
          </span>
          <span className="text-zinc-400 dark:text-zinc-500">{KIND_LABELS[input.kind]}</span>
          {input.status === 'loading' && <span className="text-zinc-500 dark:text-zinc-400">loading…</span>}
          {input.format && (
            <span data-testid="file-format" className="rounded bg-zinc-100 px-1.5 py-px text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
              {labelFormat(input.format)}
            </span>
          )}
          {input.status === 'ok' && <span className="text-zinc-600 tabular-nums dark:text-zinc-300">{pluralize(input.spanCount ?? 0, 'span')}</span>}
          {input.status === 'ok' && <span className="text-zinc-600 tabular-nums dark:text-zinc-300">{pluralize(input.traceIds.length, 'trace')}</span>}
          {input.byteCount !== undefined && <span className="text-zinc-400 tabular-nums dark:text-zinc-500">{formatBytes(input.byteCount)}</span>}
          <WarningBadge warnings={input.warnings} />
        </div>
        {input.error !== undefined && <InputError message={input.error} />}
      </div>
    </li>
  )
}

/** The importers end "unknown format" messages with the long list of what they accept: shown quieter. */
function InputError({ message }: { readonly message: string }) {
  const at = message.indexOf(' Expected one of: ')
  const problem = at < 0 ? message : message.slice(0, at)
  const expected = at < 0 ? undefined : message.slice(at + 1)
  return (
    <p data-testid="file-error" className="mt-0.5 break-words whitespace-pre-wrap">
      <span className="text-red-600 dark:text-red-400">{problem}</span>
      {expected !== undefined && <span className="block text-[11px] text-zinc-500 dark:text-zinc-400">{expected}</span>}
    </p>
  )
}

function StatusIcon({ status }: { readonly status: LoadedInput['status'] }) {
  if (status === 'loading') {
    return (
      <span
        className="mt-0.5 size-3 shrink-0 animate-spin rounded-full border-2 border-zinc-300 border-t-indigo-500 dark:border-zinc-700 dark:border-t-indigo-400"
        aria-label="loading"
      />
    )
  }
  if (status === 'error') {
    return (
      <svg viewBox="0 0 16 16" className="mt-px size-3.5 shrink-0 text-red-600 dark:text-red-400" fill="currentColor" aria-label="error">
        <path d="M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1Zm2.78 9.72a.75.75 0 1 1-1.06 1.06L8 10.06l-1.72 1.72a.75.75 0 0 1-1.06-1.06L6.94 9 5.22 7.28a.75.75 0 0 1 1.06-1.06L8 7.94l1.72-1.72a.75.75 0 1 1 1.06 1.06L9.06 9l1.72 1.72Z" />
      </svg>
    )
  }
  return (
    <svg viewBox="0 0 16 16" className="mt-px size-3.5 shrink-0 text-emerald-600 dark:text-emerald-400" fill="currentColor" aria-label="loaded">
      <path d="M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1Zm3.53 5.28-4 4.5a.75.75 0 0 1-1.09.03l-2-2a.75.75 0 1 1 1.06-1.06l1.44 1.44 3.47-3.9a.75.75 0 1 1 1.12 1Z" />
    </svg>
  )
}
