// --health-port: /healthz for orchestrators (200 while the last run succeeded or nothing has
// run yet; 503 with the reason after a failed run) and /metrics in Prometheus text format.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RefreshOutcome } from './runs.js';

export class HealthState {
  readonly runs: Record<string, number> = { published: 0, unchanged: 0, failed: 0 };
  bytesDownloaded = 0;
  lastSuccessAt: Date | undefined;
  lastFailure: { at: Date; runId: string; error: string } | undefined;
  lastOutcome: 'ok' | 'failed' | undefined;
  running = false;

  record(outcome: RefreshOutcome): void {
    if (outcome.ok) {
      this.runs[outcome.result.status] = (this.runs[outcome.result.status] ?? 0) + 1;
      this.bytesDownloaded += outcome.result.bytesDownloaded;
      this.lastSuccessAt = new Date();
      this.lastOutcome = 'ok';
    } else {
      this.runs.failed = (this.runs.failed ?? 0) + 1;
      this.lastFailure = { at: new Date(), runId: outcome.runId, error: outcome.error.message.split('\n')[0]! };
      this.lastOutcome = 'failed';
    }
  }

  healthy(): { ok: boolean; body: Record<string, unknown> } {
    if (this.lastOutcome === 'failed')
      return { ok: false, body: { status: 'failing', reason: this.lastFailure!.error, run_id: this.lastFailure!.runId, at: this.lastFailure!.at.toISOString() } };
    return { ok: true, body: { status: 'ok', last_success: this.lastSuccessAt?.toISOString() ?? null, running: this.running } };
  }

  metrics(): string {
    const lines = [
      '# HELP lmi_runs_total Refresh runs by outcome since the scheduler started.',
      '# TYPE lmi_runs_total counter',
      ...Object.entries(this.runs).map(([status, n]) => `lmi_runs_total{status="${status}"} ${n}`),
      '# HELP lmi_last_success_timestamp_seconds When the last run that published or found nothing new ended.',
      '# TYPE lmi_last_success_timestamp_seconds gauge',
      `lmi_last_success_timestamp_seconds ${this.lastSuccessAt ? this.lastSuccessAt.getTime() / 1000 : 0}`,
      '# HELP lmi_bytes_downloaded_total Response body bytes downloaded from sources.',
      '# TYPE lmi_bytes_downloaded_total counter',
      `lmi_bytes_downloaded_total ${this.bytesDownloaded}`,
      '# HELP lmi_run_in_progress 1 while a refresh runs.',
      '# TYPE lmi_run_in_progress gauge',
      `lmi_run_in_progress ${this.running ? 1 : 0}`,
    ];
    return lines.join('\n') + '\n';
  }
}

/** Serve health on `host:port` (loopback unless told otherwise; port 0 picks a free one). */
export async function startHealthServer(state: HealthState, port: number, host = '127.0.0.1'): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/healthz') {
      const { ok, body } = state.healthy();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body) + '\n');
    } else if (url.pathname === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(state.metrics());
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
