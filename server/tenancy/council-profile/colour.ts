/**
 * WCAG 2.x contrast of a council's primary colour against white text: the portal writes white
 * on it (header, buttons), so a colour under AA's 4.5:1 for normal text is refused.
 */
export const MIN_CONTRAST_WITH_WHITE = 4.5;

const HEX = /^#[0-9a-fA-F]{6}$/;

export function isHexColour(value: string): boolean {
  return HEX.test(value);
}

/** Relative luminance of an sRGB colour "#RRGGBB" (WCAG 2.x definition). */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** Contrast ratio of white on the colour, from 1 (white) to 21 (black). */
export function contrastWithWhite(hex: string): number {
  return 1.05 / (luminance(hex) + 0.05);
}

/** The Italian message for a colour the portal cannot use, or null when it is fine. */
export function colourProblem(hex: string): string | null {
  if (!isHexColour(hex)) return "indica il colore in esadecimale, es. #0066CC";
  const ratio = contrastWithWhite(hex);
  if (ratio < MIN_CONTRAST_WITH_WHITE)
    return `colore troppo chiaro: il testo bianco avrebbe contrasto ${ratio.toFixed(2).replace(".", ",")}:1, ne serve almeno 4,5:1 (WCAG AA)`;
  return null;
}
