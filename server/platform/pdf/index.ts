// HTML to PDF with a bounded, self-healing pool of headless Chromium pages.
import type { AppConfig } from "../../config/env.ts";
import type { Logger } from "../observability/logger.ts";
import { ChromiumPool } from "./chromium-pool.ts";

export {
  ChromiumPool,
  type ChromiumPoolOptions,
  type PdfRenderer,
  type RenderOptions,
  type PoolStats,
  type PoolMemory,
} from "./chromium-pool.ts";
export { CHROMIUM_FLAGS } from "./launch-chromium.ts";
export { treeMemory, processTree, type TreeMemory } from "./process-memory.ts";

/** The pool as configured by the environment (CHROMIUM_PATH, PDF_*); the browser starts lazily. */
export function createChromiumPool(
  config: Pick<AppConfig, "CHROMIUM_PATH" | "PDF_MAX_PAGES" | "PDF_MAX_RENDERS_PER_PAGE" | "PDF_RENDER_TIMEOUT_MS">,
  logger?: Logger,
): ChromiumPool {
  return new ChromiumPool({
    executablePath: config.CHROMIUM_PATH,
    maxPages: config.PDF_MAX_PAGES,
    maxRendersPerPage: config.PDF_MAX_RENDERS_PER_PAGE,
    renderTimeoutMs: config.PDF_RENDER_TIMEOUT_MS,
    logger,
  });
}
