import { readdirSync, statSync } from 'node:fs'

/** The repository's `fixtures/` folder. */
export const fixtureRoot = new URL('../../../fixtures/', import.meta.url)

/** Every JSON fixture (`.json`, and JSON lines kept as `.json.txt`) under `dir`, in name order. */
export function listFixtureFiles(dir: URL = fixtureRoot): URL[] {
  const files: URL[] = []
  for (const name of readdirSync(dir).sort()) {
    const url = new URL(name, dir)
    if (statSync(url).isDirectory()) files.push(...listFixtureFiles(new URL(`${name}/`, dir)))
    else if (/\.json(\.txt)?$/.test(name)) files.push(url)
  }
  return files
}

/** A fixture's path under `fixtures/`, for test names and lists. */
export function fixturePath(url: URL): string {
  return url.pathname.slice(fixtureRoot.pathname.length)
}
