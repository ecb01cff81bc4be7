import { AxeBuilder } from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/**
 * WCAG 2.1 AA through axe: no serious or critical violation on the page as it is now. The
 * colour-contrast rule is named explicitly so that a tag change cannot silently drop it; axe has no
 * rule for non-text contrast (1.4.11), which `expectInputBorders` checks instead.
 */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .options({ rules: { "color-contrast": { enabled: true } } })
    .analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
  await expectInputBorders(page);
}

/**
 * Bootstrap Italia's typefaces really loaded from our stylesheet. `document.fonts.check` alone is
 * true for a family no @font-face declares (nothing to load), so a loaded "Titillium Web" face must
 * also be in the document's font set.
 */
export async function expectFontsLoaded(page: Page): Promise<void> {
  const state = await page.evaluate(async () => {
    await document.fonts.ready;
    await document.fonts.load('16px "Titillium Web"').catch(() => []);
    let loaded = 0;
    document.fonts.forEach((f) => {
      if (f.family.replace(/"/g, "") === "Titillium Web" && f.status === "loaded") loaded += 1;
    });
    return {
      check: document.fonts.check('16px "Titillium Web"'),
      loaded,
      body: getComputedStyle(document.body).fontFamily,
    };
  });
  expect(state, "Titillium Web is loaded and used").toMatchObject({
    check: true,
    body: expect.stringContaining("Titillium Web"),
  });
  expect(state.loaded, "a loaded Titillium Web face").toBeGreaterThan(0);
}

/**
 * WCAG 1.4.11 (non-text contrast) for form controls: every visible text field, select and text
 * area has at least one border side whose colour contrasts 3:1 or more with the background behind
 * it, so its boundary can be seen.
 */
export async function expectInputBorders(page: Page): Promise<void> {
  const failures = await page.evaluate(() => {
    const rgba = (s: string): [number, number, number, number] => {
      const m = s.match(/rgba?\(([^)]+)\)/);
      if (!m) return [0, 0, 0, 0];
      const p = m[1]!
        .split(/[ ,/]+/)
        .filter(Boolean)
        .map(Number);
      return [p[0]!, p[1]!, p[2]!, p[3] ?? 1];
    };
    const background = (el: Element | null): [number, number, number] => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgba(getComputedStyle(e).backgroundColor);
        if (c[3] > 0.5) return [c[0], c[1], c[2]];
      }
      return [255, 255, 255];
    };
    const luminance = ([r, g, b]: number[]) =>
      [r!, g!, b!]
        .map((v) => {
          const c = v / 255;
          return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        })
        .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i]!, 0);
    const ratio = (a: number[], b: number[]) => {
      const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
      return (x! + 0.05) / (y! + 0.05);
    };
    const out: string[] = [];
    const controls = document.querySelectorAll<HTMLElement>(
      "input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=submit]):not([type=button]):not([type=file]), select, textarea",
    );
    controls.forEach((el) => {
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (box.width === 0 || box.height === 0 || style.visibility === "hidden") return;
      const behind = background(el.parentElement);
      let best = 0;
      for (const side of ["Top", "Right", "Bottom", "Left"]) {
        const width = parseFloat(style.getPropertyValue(`border-${side.toLowerCase()}-width`));
        if (!(width >= 1) || style.getPropertyValue(`border-${side.toLowerCase()}-style`) === "none") continue;
        const [r, g, b, a] = rgba(style.getPropertyValue(`border-${side.toLowerCase()}-color`));
        const seen = [r * a + behind[0] * (1 - a), g * a + behind[1] * (1 - a), b * a + behind[2] * (1 - a)];
        best = Math.max(best, ratio(seen, behind));
      }
      if (best < 3)
        out.push(
          `${el.tagName.toLowerCase()}#${el.id || el.getAttribute("name") || "?"}: border contrast ${best.toFixed(2)}:1`,
        );
    });
    return out;
  });
  expect(failures, "form controls whose border is not visible (WCAG 1.4.11)").toEqual([]);
}

/**
 * Screenshots of a page at desktop and phone widths, under .tmp/screens/ for people to look at,
 * with the fonts loaded; then the accessibility checks at phone width.
 */
export async function screens(page: Page, name: string): Promise<void> {
  const size = page.viewportSize();
  await expectFontsLoaded(page);
  await page.screenshot({ path: `.tmp/screens/${name}-desktop.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `.tmp/screens/${name}-phone.png`, fullPage: true });
  await expectAccessible(page);
  if (size) await page.setViewportSize(size);
}
