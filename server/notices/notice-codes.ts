import bwipjs from "bwip-js";
import QRCode from "qrcode";

/**
 * The notice's QR code as inline SVG: ISO 18004, error correction M, version 4 as the notice
 * guide fixes it (the longest payload, 53 characters, fits version 4-M's 62 bytes, so every
 * notice prints the same 33×33 module symbol). Vector, so it prints sharp at 25×25 mm; no quiet
 * zone in the SVG itself, the layout keeps white space around it.
 */
export async function qrSvg(payload: string): Promise<string> {
  const svg = await QRCode.toString(payload, { type: "svg", errorCorrectionLevel: "M", version: 4, margin: 0, color: { dark: "#000000", light: "#ffffff" } });
  return stripXmlProlog(svg);
}

/**
 * The Poste Italiane DataMatrix (ECC 200, square) as inline SVG. bwip-js chooses the smallest
 * square symbol that holds the 256-character payload.
 */
export function dataMatrixSvg(payload: string): string {
  const svg = bwipjs.toSVG({ bcid: "datamatrix", text: payload, scale: 1, paddingwidth: 0, paddingheight: 0 });
  return stripXmlProlog(svg);
}

function stripXmlProlog(svg: string): string {
  return svg.replace(/^<\?xml[^>]*>\s*/, "").trim();
}
