import { queryOptions, useQuery } from '@tanstack/react-query'
import { buildHref, followLink } from '../../state/url-params.ts'
import { CARD_CLASS, SECTION_TITLE_CLASS } from '../../ui/styles.ts'

interface Sample {
  readonly file: string
  readonly title: string
  readonly format: string
}

const SAMPLES_BASE = `${import.meta.env.BASE_URL}samples/`

function isSample(value: unknown): value is Sample {
  if (typeof value !== 'object' || value === null) return false
  const record = value as Record<string, unknown>
  // A file name only: no path, so a sample can never point elsewhere.
  return typeof record.file === 'string' && /^[\w.-]+$/.test(record.file) && typeof record.title === 'string' && typeof record.format === 'string'
}

const samplesQuery = queryOptions({
  queryKey: ['samples', SAMPLES_BASE],
  queryFn: async ({ signal }): Promise<Sample[]> => {
    const response = await fetch(`${SAMPLES_BASE}index.json`, { signal })
    if (!response.ok) throw new Error(`HTTP ${response.status}`)
    const list: unknown = await response.json()
    return Array.isArray(list) ? list.filter(isSample) : []
  },
})

function sampleUrl(sample: Sample): string {
  return new URL(`${SAMPLES_BASE}${sample.file}`, window.location.href).href
}

/** Bundled example traces, each a link that loads it through `?url=`, so it is shareable too. */
export function SampleList() {
  const { data: samples, error, isPending } = useQuery(samplesQuery)
  return (
    <section className={`${CARD_CLASS} p-4`} aria-labelledby="samples-title">
      <h2 id="samples-title" className={SECTION_TITLE_CLASS}>
        Sample traces
      </h2>
      {isPending && <p className="mt-3 text-xs text-zinc-500">Loading the list…</p>}
      {error && <p className="mt-3 text-xs text-red-600 dark:text-red-400">The sample list could not be loaded ({error.message}).</p>}
      <ul className="mt-2 flex flex-col">
        {samples?.map((sample) => {
          const href = buildHref({ url: sampleUrl(sample) })
          return (
            <li key={sample.file}>
              <a
                href={href}
                onClick={(event) => followLink(event, href)}
                data-testid={`sample-${sample.file.replace(/\.[^.]+$/, '')}`}
                className="group -mx-2 flex items-center justify-between gap-3 rounded-md px-2 py-1.5 hover:bg-zinc-100 dark:hover:bg-zinc-800"
              >
                <span className="min-w-0">
                  <span className="block truncate text-sm text-zinc-800 group-hover:text-indigo-600 dark:text-zinc-100 dark:group-hover:text-indigo-300">
                    {sample.title}
                  </span>
                  <span className="block truncate font-mono text-[11px] text-zinc-500 dark:text-zinc-400">{sample.file}</span>
                </span>
                <span className="shrink-0 rounded bg-zinc-100 px-1.5 py-0.5 text-[11px] text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
                  {sample.format}
                </span>
              </a>
            </li>
          )
        })}
      </ul>
    </section>
  )
}
