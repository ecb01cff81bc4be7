import zxing from "@zxing/library";
import QRCode from "qrcode";

/**
 * The notice's QR code as inline SVG: ISO 18004, error correction M, version 4 as the notice
 * guide fixes it (the longest payload, 53 characters, fits version 4-M's 62 bytes, so every
 * notice prints the same 33×33 module symbol). Vector, so it prints sharp at 25×25 mm; no quiet
 * zone in the SVG itself, the layout keeps white space around it.
 */
export async function qrSvg(payload: string): Promise<string> {
  const svg = await QRCode.toString(payload, {
    type: "svg",
    errorCorrectionLevel: "M",
    version: 4,
    margin: 0,
    color: { dark: "#000000", light: "#ffffff" },
  });
  return stripXmlProlog(svg);
}

// A CommonJS package: its named exports are reached through the default export under ESM.
const { BarcodeFormat, DataMatrixWriter, EncodeHintType } = zxing;
/** SymbolShapeHint.FORCE_SQUARE (a const enum, not reachable under isolatedModules). */
const FORCE_SQUARE = 1;
const dataMatrixWriter = new DataMatrixWriter();
const squareOnly = new Map<zxing.EncodeHintType, unknown>([[EncodeHintType.DATA_MATRIX_SHAPE, FORCE_SQUARE]]);

/**
 * The Poste Italiane DataMatrix (ECC 200, square) as inline SVG: ZXing encodes it (the smallest
 * square symbol that holds the 256-character payload, 48×48 modules) and each row of dark
 * modules becomes runs of one path, so Chromium draws one shape per symbol. ZXing rather than
 * bwip-js here because a mailing prints hundreds of thousands of these: bwip-js took about 20 ms
 * per symbol, ZXing about 2 ms (bench/notices).
 */
export function dataMatrixSvg(payload: string): string {
  const matrix = dataMatrixWriter.encode(payload, BarcodeFormat.DATA_MATRIX, 0, 0, squareOnly);
  const width = matrix.getWidth();
  const height = matrix.getHeight();
  let d = "";
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width;) {
      if (!matrix.get(x, y)) {
        x++;
        continue;
      }
      const start = x;
      while (x < width && matrix.get(x, y)) x++;
      d += `M${start} ${y}h${x - start}v1h${start - x}z`;
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" shape-rendering="crispEdges"><path fill="#000000" d="${d}"/></svg>`;
}

function stripXmlProlog(svg: string): string {
  return svg.replace(/^<\?xml[^>]*>\s*/, "").trim();
}
