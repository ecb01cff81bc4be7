import type { HTTPRequest, Page } from "puppeteer-core";
import type { Logger } from "../observability/logger.ts";
import { AppError } from "../errors.ts";
import { launchChromium, type LaunchedChromium } from "./launch-chromium.ts";
import { treeMemory } from "./process-memory.ts";

export interface ChromiumPoolOptions {
  executablePath: string;
  /** Pages printing at the same time (one renderer each). */
  maxPages: number;
  /** A page is closed and replaced after this many renders, bounding leaks in long batches. */
  maxRendersPerPage: number;
  /** One render (setContent + pdf) gives up after this long. */
  renderTimeoutMs: number;
  launchTimeoutMs?: number;
  logger?: Logger;
}

/** What the notice and receipt use cases need: HTML in, PDF out. */
export interface PdfRenderer {
  render(html: string, options?: RenderOptions): Promise<Buffer>;
}

export interface RenderOptions {
  /**
   * A tagged (accessible) PDF, with the document structure screen readers use. Default true:
   * what a citizen downloads must be readable by assistive technology. Mass-mailing batches,
   * which go to a print shop and end on paper, turn it off: tagging costs about 40% of
   * Chromium's print time (docs/benchmarks.md) and gives paper nothing.
   */
  tagged?: boolean;
}

export interface PoolStats {
  maxPages: number;
  openPages: number;
  busyPages: number;
  queued: number;
  launches: number;
  crashes: number;
  retries: number;
  recycledPages: number;
  renders: number;
  blockedRequests: number;
  browserPid: number | null;
}

export interface PoolMemory {
  nodeRssBytes: number;
  /** Chromium's whole process tree (browser, renderers, utilities), RSS summed. */
  chromiumRssBytes: number;
  /** The same tree, proportional set size (shared pages split): closer to its real cost. */
  chromiumPssBytes: number;
}

interface Session {
  launched: LaunchedChromium;
  generation: number;
}

interface PooledPage {
  page: Page;
  session: Session;
  renders: number;
}

/** The render failed because the browser (or the page's renderer) went away, not because of the HTML. */
class EngineGoneError extends Error {}

const GONE =
  /Target closed|Session closed|Connection closed|detached|Page crashed|Protocol error.*(closed|not found)|browser has disconnected/i;

/**
 * A bounded, self-healing pool of headless Chromium pages that print HTML to PDF.
 *
 * - One browser, at most `maxPages` pages printing at once; further renders wait in FIFO order.
 * - Pages are reused (creating one costs more than printing a notice) and recycled after
 *   `maxRendersPerPage` renders.
 * - Content is set with setContent; scripts are disabled and every request except `data:`
 *   URLs is aborted, so a template can never reach the network or another service.
 * - If Chromium dies (OOM killer, crash, kill), the browser is relaunched on the next render
 *   and every render that was in flight on the dead browser is retried once on a fresh page.
 */
export class ChromiumPool implements PdfRenderer {
  private session: Session | null = null;
  private launching: Promise<Session> | null = null;
  private generation = 0;
  private idle: PooledPage[] = [];
  private busy = 0;
  private readonly waiters: Array<() => void> = [];
  private closing = false;
  private readonly counters = { launches: 0, crashes: 0, retries: 0, recycledPages: 0, renders: 0, blockedRequests: 0 };

  constructor(private readonly options: ChromiumPoolOptions) {
    if (options.maxPages < 1 || options.maxRendersPerPage < 1)
      throw new RangeError("maxPages and maxRendersPerPage must be at least 1");
  }

  /**
   * Prints an HTML document (A4 unless its CSS @page says otherwise) and returns the PDF.
   * @throws AppError PDF_RENDER_FAILED | PDF_RENDER_TIMEOUT | PDF_ENGINE_UNAVAILABLE | PDF_POOL_CLOSED
   */
  async render(html: string, options: RenderOptions = {}): Promise<Buffer> {
    await this.acquireSlot();
    try {
      try {
        return await this.attempt(html, options);
      } catch (err) {
        if (!(err instanceof EngineGoneError)) throw err;
        this.counters.retries++;
        this.options.logger?.warn(
          { err: err.message },
          "chromium went away during a render; retrying once on a fresh page",
        );
        try {
          return await this.attempt(html, options);
        } catch (again) {
          if (again instanceof EngineGoneError)
            throw new AppError("PDF_RENDER_FAILED", `Chromium went away twice: ${again.message}`, 503);
          throw again;
        }
      }
    } finally {
      this.releaseSlot();
    }
  }

  stats(): PoolStats {
    return {
      maxPages: this.options.maxPages,
      openPages: this.idle.length + this.busy,
      busyPages: this.busy,
      queued: this.waiters.length,
      ...this.counters,
      browserPid: this.session?.launched.pid ?? null,
    };
  }

  /** Resident memory of this Node process and of the whole Chromium process tree. */
  memory(): PoolMemory {
    const chromium = treeMemory(this.session?.launched.pid);
    return {
      nodeRssBytes: process.memoryUsage.rss(),
      chromiumRssBytes: chromium.rssBytes,
      chromiumPssBytes: chromium.pssBytes,
    };
  }

  /** The running browser's process id (null before the first render); for tests and monitoring. */
  browserPid(): number | null {
    return this.session?.launched.pid ?? null;
  }

  /** Starts the browser now rather than on the first render. */
  async warmUp(): Promise<void> {
    await this.currentSession();
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const wake of this.waiters.splice(0)) wake();
    const session = this.session ?? (await this.launching?.catch(() => null)) ?? null;
    this.session = null;
    this.idle = [];
    if (session) await this.shutDown(session);
  }

  private async attempt(html: string, options: RenderOptions): Promise<Buffer> {
    const pooled = await this.leasePage();
    let reusable = false;
    let timer: NodeJS.Timeout | undefined;
    try {
      const work = (async () => {
        await pooled.page.setContent(html, { waitUntil: "load", timeout: this.options.renderTimeoutMs });
        return pooled.page.pdf({
          format: "A4",
          printBackground: true,
          preferCSSPageSize: true,
          tagged: options.tagged ?? true,
          timeout: this.options.renderTimeoutMs,
        });
      })();
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new AppError("PDF_RENDER_TIMEOUT", `No PDF within ${this.options.renderTimeoutMs} ms`, 503)),
          this.options.renderTimeoutMs,
        );
      });
      work.catch(() => undefined); // settled later by the race; never unhandled
      const pdf = await Promise.race([work, timeout]);
      reusable = true;
      this.counters.renders++;
      return Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
    } catch (err) {
      if (err instanceof AppError) throw err;
      // Let the disconnect event land first: a killed browser fails the call before it fires.
      await new Promise((resolve) => setTimeout(resolve, 20));
      const message = (err as Error).message ?? String(err);
      if (!pooled.session.launched.browser.connected || pooled.session !== this.session || GONE.test(message)) {
        if (pooled.session === this.session && !pooled.session.launched.browser.connected) this.forget(pooled.session);
        throw new EngineGoneError(message);
      }
      throw new AppError("PDF_RENDER_FAILED", `PDF render failed: ${message}`, 500);
    } finally {
      clearTimeout(timer);
      this.returnPage(pooled, reusable);
    }
  }

  private async leasePage(): Promise<PooledPage> {
    const session = await this.currentSession();
    while (this.idle.length) {
      const pooled = this.idle.pop()!;
      if (pooled.session === session && !pooled.page.isClosed()) return pooled;
    }
    try {
      const page = await session.launched.browser.newPage();
      await this.preparePage(page);
      return { page, session, renders: 0 };
    } catch (err) {
      throw new EngineGoneError(`could not open a page: ${(err as Error).message}`);
    }
  }

  private async preparePage(page: Page): Promise<void> {
    // Templates are static documents: no scripts, and nothing may be fetched.
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on("request", (request: HTTPRequest) => {
      if (request.isInterceptResolutionHandled()) return;
      if (request.url().startsWith("data:")) {
        void request.continue().catch(() => undefined);
      } else {
        this.counters.blockedRequests++;
        this.options.logger?.warn(
          { url: request.url().slice(0, 200) },
          "blocked a request from a document being printed",
        );
        void request.abort("blockedbyclient").catch(() => undefined);
      }
    });
  }

  private returnPage(pooled: PooledPage, reusable: boolean): void {
    pooled.renders++;
    const current = pooled.session === this.session && !this.closing;
    if (current && reusable && pooled.renders < this.options.maxRendersPerPage) {
      this.idle.push(pooled);
      return;
    }
    if (current && reusable) this.counters.recycledPages++;
    // Closing a page of a dead browser, or one whose render timed out, may never answer.
    if (pooled.session.launched.browser.connected) void pooled.page.close().catch(() => undefined);
  }

  private async currentSession(): Promise<Session> {
    if (this.closing) throw new AppError("PDF_POOL_CLOSED", "The PDF renderer is shutting down", 503);
    if (this.session?.launched.browser.connected) return this.session;
    if (this.session) this.forget(this.session);
    this.launching ??= this.launch().finally(() => {
      this.launching = null;
    });
    return this.launching;
  }

  private async launch(): Promise<Session> {
    let launched: LaunchedChromium;
    try {
      launched = await launchChromium({
        executablePath: this.options.executablePath,
        timeoutMs: this.options.launchTimeoutMs ?? 30_000,
        protocolTimeoutMs: this.options.renderTimeoutMs + 5_000,
      });
    } catch (err) {
      throw new AppError(
        "PDF_ENGINE_UNAVAILABLE",
        `Chromium did not start (${this.options.executablePath}): ${(err as Error).message}`,
        503,
      );
    }
    const session: Session = { launched, generation: ++this.generation };
    this.counters.launches++;
    launched.browser.on("disconnected", () => {
      if (this.session === session) {
        this.counters.crashes++;
        this.options.logger?.error(
          { pid: launched.pid },
          "chromium disconnected; it will be relaunched on the next render",
        );
        this.forget(session);
      }
      void this.reap(session);
    });
    if (this.closing) {
      await this.shutDown(session);
      throw new AppError("PDF_POOL_CLOSED", "The PDF renderer is shutting down", 503);
    }
    this.session = session;
    this.options.logger?.info({ pid: launched.pid, generation: session.generation }, "chromium started");
    return session;
  }

  /** Drops a session and its idle pages; its process is killed if it is still there. */
  private forget(session: Session): void {
    if (this.session === session) this.session = null;
    this.idle = this.idle.filter((p) => p.session !== session);
    void this.reap(session);
  }

  private async reap(session: Session): Promise<void> {
    const child = session.launched.browser.process();
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("exit", resolve));
    }
    await session.launched.cleanup().catch(() => undefined);
  }

  private async shutDown(session: Session): Promise<void> {
    await session.launched.browser.close().catch(() => undefined);
    await this.reap(session);
  }

  private acquireSlot(): Promise<void> {
    if (this.closing) return Promise.reject(new AppError("PDF_POOL_CLOSED", "The PDF renderer is shutting down", 503));
    if (this.busy < this.options.maxPages) {
      this.busy++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      this.waiters.push(() => {
        if (this.closing) return reject(new AppError("PDF_POOL_CLOSED", "The PDF renderer is shutting down", 503));
        this.busy++;
        resolve();
      });
    });
  }

  private releaseSlot(): void {
    this.busy--;
    this.waiters.shift()?.();
  }
}
