import { create } from 'zustand'

export type Theme = 'light' | 'dark'

/** Also read by the inline script in index.html, which applies the theme before the first paint. */
const STORAGE_KEY = 'spanglass-theme'

function readSavedTheme(): Theme | undefined {
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY)
    return saved === 'dark' || saved === 'light' ? saved : undefined
  } catch {
    return undefined // storage disabled
  }
}

function readInitialTheme(): Theme {
  if (typeof window === 'undefined') return 'light'
  return readSavedTheme() ?? (window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light')
}

function applyTheme(theme: Theme): void {
  if (typeof document !== 'undefined') document.documentElement.classList.toggle('dark', theme === 'dark')
}

interface ThemeState {
  readonly theme: Theme
  toggleTheme(): void
}

export const useThemeStore = create<ThemeState>()((set, get) => {
  const theme = readInitialTheme()
  applyTheme(theme)
  return {
    theme,
    toggleTheme: () => {
      const next: Theme = get().theme === 'dark' ? 'light' : 'dark'
      applyTheme(next)
      try {
        window.localStorage.setItem(STORAGE_KEY, next)
      } catch {
        // Storage disabled: the choice lasts for this page only.
      }
      set({ theme: next })
    },
  }
})
