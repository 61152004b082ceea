import type { KnownBackend } from '../../state/backends-store.ts'
import { KIND_NAMES } from './use-backends.ts'

/** A `<select>` of the known backends, labelled "name (Kind)". */
export function BackendPicker({
  backends,
  selectedId,
  onChange,
  testId,
}: {
  readonly backends: readonly KnownBackend[]
  readonly selectedId: string | undefined
  readonly onChange: (id: string) => void
  readonly testId: string
}) {
  return (
    <label className="flex items-center gap-2 text-xs font-medium text-zinc-600 dark:text-zinc-300">
      Backend
      <select
        data-testid={testId}
        value={selectedId ?? ''}
        onChange={(event) => onChange(event.target.value)}
        className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-xs text-zinc-900 focus:border-indigo-500 focus:outline-none dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
      >
        {backends.map(({ config, isProxied }) => (
          <option key={config.id} value={config.id}>
            {config.name} ({KIND_NAMES[config.kind]}
            {isProxied ? ', proxied' : ''})
          </option>
        ))}
      </select>
    </label>
  )
}
