// Parts every report page shares: file names and the footer.
import type { ReportData } from './data.js';
import { h, type Html } from './html.js';

/**
 * A page's file name from a code (an area code, a SOC code): any character but letters, digits,
 * "-" and "_" becomes "_", so a code read from a downloaded file can never name a path.
 */
export const pageFile = (code: string) => `${code.replace(/[^0-9A-Za-z_-]/g, '_')}.html`;

export function attribution(data: ReportData): Html {
  return h`<footer><p>${data.manifest.attribution.map((a) => h`${a}<br>`)}</p>
<p>Snapshot ${data.manifest.snapshot_id}, made ${data.manifest.created_at.slice(0, 10)} by career-clusters-lmi ${data.manifest.code_version}. Policy: ${data.manifest.policy.title} (${data.manifest.policy.name} ${data.manifest.policy.version}).</p></footer>`;
}
