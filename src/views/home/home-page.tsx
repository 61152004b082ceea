import type { ReactNode } from 'react'
import { useImportActions } from '../../state/import-actions.ts'
import { useTracesStore } from '../../state/traces-store.ts'
import { buildHref, followLink, navigate } from '../../state/url-params.ts'
import { pluralize } from '../../ui/format.ts'
import { BUTTON_CLASS, CARD_CLASS, SECTION_TITLE_CLASS } from '../../ui/styles.ts'
import { DropZone } from './drop-zone.tsx'
import { FileStatusList } from './file-status-list.tsx'
import { ImportProgress } from './import-progress.tsx'
import { OpenPanel } from './open-panel.tsx'
import { SampleList } from './sample-list.tsx'
import { TraceList } from './trace-list.tsx'

interface HomePageProps {
  /** Shown above everything, e.g. why a trace link did not open. */
  readonly notice?: ReactNode
}

export function HomePage({ notice }: HomePageProps) {
  return (
    <DropZone className="h-full overflow-auto">
      <div className="mx-auto flex max-w-6xl flex-col gap-4 p-4">
        {notice}
        <div className="grid gap-4 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
          <OpenPanel />
          <SampleList />
        </div>
        <LoadedSection />
      </div>
    </DropZone>
  )
}

function LoadedSection() {
  const actions = useImportActions()
  const traceCount = useTracesStore((state) => state.traces.size)
  const inputCount = useTracesStore((state) => state.inputs.length)
  const hasProgress = useTracesStore((state) => state.progress !== undefined)
  if (inputCount === 0 && !hasProgress) return null
  return (
    <section className={`${CARD_CLASS} flex flex-col gap-3 p-4`} aria-labelledby="loaded-title">
      <div className="flex items-center gap-3">
        <h2 id="loaded-title" className={SECTION_TITLE_CLASS}>
          Loaded
        </h2>
        <span className="text-xs text-zinc-500 dark:text-zinc-400">
          {pluralize(traceCount, 'trace')} from {pluralize(inputCount, 'input')}
        </span>
        {traceCount > 0 && (
          <a
            href={buildHref({ view: 'service-map' })}
            onClick={(event) => followLink(event, buildHref({ view: 'service-map' }))}
            data-testid="service-map-link"
            className="rounded text-xs text-indigo-700 hover:underline dark:text-indigo-300"
          >
            Service map of all traces
          </a>
        )}
        <button
          type="button"
          data-testid="clear-all"
          className={`${BUTTON_CLASS} ml-auto`}
          onClick={() => {
            actions.clearAll()
            navigate(buildHref({}))
          }}
        >
          Clear all
        </button>
      </div>
      <ImportProgress />
      <FileStatusList />
      <TraceList />
    </section>
  )
}
