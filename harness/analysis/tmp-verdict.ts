// Decides how /tmp growth is reported: files piling up always; bytes alone only when /tmp would fill in a container's life.
import type { Finding } from '../types.js';
import { forecastTmpFull } from './forecast.js';

function forecastFor(bytes: Finding) {
  const current = bytes.series[bytes.series.length - 1]?.[1] ?? 0;
  return forecastTmpFull({ bytesPerInvocation: bytes.growthPerInvocation, currentBytes: current });
}

/**
 * A new file per invocation is a leak whatever its size; the bytes it adds and the /tmp forecast join that
 * finding. Bytes growing inside the same files (a browser profile's journals, a log) are reported only when
 * they would fill Lambda's 512 MB /tmp before a container is commonly recycled (seed 002: ~8,300 invocations):
 * slower growth is usually a bounded cache still settling, and would fail nobody.
 */
export function tmpFindings(findings: Finding[]): Finding[] {
  const files = findings.find((f) => f.kind === 'tmp' && f.unit === 'files');
  const bytes = findings.find((f) => f.kind === 'tmp' && f.unit === 'bytes');
  if (!bytes) return findings;
  const others = findings.filter((f) => f !== bytes);
  const forecast = forecastFor(bytes);
  if (files) {
    files.message += ` (+${bytes.growthPerInvocation} bytes per invocation). ${forecast.message}`;
    return others;
  }
  if (!forecast.withinContainerLife) return others;
  return [...others, { ...bytes, message: `${bytes.message}. ${forecast.message}` }];
}
