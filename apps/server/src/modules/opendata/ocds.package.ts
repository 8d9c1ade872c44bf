import { compileReleases } from './ocds.merge';
import { OCDS_EXTENSIONS, OCDS_VERSION, type Release } from './ocds.build';

export interface PackageMeta {
  /** The URL this package is served at (unique per page). */
  uri: string;
  publishedDate: Date;
  publisherName: string;
  /** The installation's own open-data licence URL, if it declares one. */
  license?: string;
  publicationPolicy?: string;
}

function metaFields(meta: PackageMeta) {
  return {
    uri: meta.uri,
    version: OCDS_VERSION,
    extensions: OCDS_EXTENSIONS,
    publishedDate: meta.publishedDate.toISOString(),
    publisher: { name: meta.publisherName },
    ...(meta.license ? { license: meta.license } : {}),
    ...(meta.publicationPolicy ? { publicationPolicy: meta.publicationPolicy } : {}),
  };
}

export function releasePackage(meta: PackageMeta, releases: Release[]) {
  return { ...metaFields(meta), releases };
}

/**
 * A release package written as text around releases that are already JSON text (as stored), so that a package of
 * tens of thousands of releases is streamed without parsing and re-serialising each one. `head` + releases joined
 * by ',' + `tail` is the package; `head` ends inside the `releases` array.
 */
export function releasePackageFrame(meta: PackageMeta, extra: Record<string, unknown> = {}): { head: string; tail: string } {
  const withoutReleases = JSON.stringify({ ...metaFields(meta), ...extra });
  return { head: `${withoutReleases.slice(0, -1)},"releases":[`, tail: ']}' };
}

/** A record package: for each ocid every release embedded, and the compiled release. */
export function recordPackage(meta: PackageMeta, byOcid: Map<string, Release[]>) {
  return {
    ...metaFields(meta),
    records: [...byOcid.entries()].map(([ocid, releases]) => ({ ocid, releases, compiledRelease: compileReleases(releases) })),
  };
}
