import { expect, test } from '@playwright/test'

test('the theme toggle switches light and dark and remembers the choice', async ({ page }, testInfo) => {
  await page.emulateMedia({ colorScheme: 'light' })
  await page.goto('/')
  const html = page.locator('html')
  await expect(html).not.toHaveClass(/dark/)
  await page.getByTestId('theme-toggle').click()
  await expect(html).toHaveClass(/dark/)
  await page.screenshot({ path: testInfo.outputPath('home-dark.png') })
  await page.reload()
  await expect(html).toHaveClass(/dark/)

  await page.getByTestId('sample-jaeger-hotrod').click()
  await expect(page.getByTestId('waterfall')).toHaveAttribute('data-ready', 'true')
  await page.getByTestId('span-row').nth(3).click()
  await page.screenshot({ path: testInfo.outputPath('trace-dark.png') })

  await page.getByTestId('theme-toggle').click()
  await expect(html).not.toHaveClass(/dark/)
  await page.reload()
  await expect(html).not.toHaveClass(/dark/)
  await page.screenshot({ path: testInfo.outputPath('trace-light.png') })
})

test('without a saved choice the theme follows the system preference', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.goto('/')
  await expect(page.locator('html')).toHaveClass(/dark/)
})
