/**
 * Table statistics during the run, as autovacuum keeps them in production. This machine's
 * PostgreSQL runs with `autovacuum = off`, so tables filled from empty never get statistics, and
 * the foreign-key checks' cached plans, made while `debt_positions` was empty, can pick an index
 * led by `tenant_id` other than the unique one: each check then reads every position of the
 * council (seen: 5 billion index tuples read for 73,000 checks, the import at a crawl after
 * 140,000 rows). Where autovacuum is off, the tables the import writes are analysed every
 * `periodMs` as their owner (the app role may not), which also invalidates those cached plans,
 * as autovacuum's own ANALYZE does. Where it is on, nothing is done.
 */
import pg from "pg";

const TABLES = "debt_positions, payment_options, transfers, outbox_events, import_rows, position_import_keys";

export class AnalyzeMeanwhile {
  runs = 0;
  emulating = false;
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<unknown> = Promise.resolve();
  private constructor(private readonly client: pg.Client) {}

  static async start(ownerUrl: string, periodMs = 10_000): Promise<AnalyzeMeanwhile> {
    const client = new pg.Client({ connectionString: ownerUrl });
    await client.connect();
    const keeper = new AnalyzeMeanwhile(client);
    const { rows } = await client.query<{ autovacuum: string }>("SHOW autovacuum");
    keeper.emulating = rows[0]?.autovacuum !== "on";
    if (keeper.emulating)
      keeper.timer = setInterval(() => {
        keeper.busy = keeper.busy.then(() => client.query(`ANALYZE ${TABLES}`).then(() => keeper.runs++));
      }, periodMs);
    return keeper;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.busy.catch(() => undefined);
    await this.client.end();
  }
}
