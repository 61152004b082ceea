import { buildHref, navigate } from '../../state/url-params.ts'

/** Switches the trace page to its waterfall tab (the default view), keeping the other parameters. */
export function openWaterfall(): void {
  const params = Object.fromEntries(new URLSearchParams(window.location.search))
  navigate(buildHref({ ...params, view: undefined }))
}
