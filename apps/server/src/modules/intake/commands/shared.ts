import { projectCode } from '../intake.rules';
import type { ProjectRow } from '../intake.repo';

/** The facts listeners (announcements, notifications, supervision) need about a project, in every event. */
export function eventPayload(p: ProjectRow, lots: { seq: number; name: string; estimate_fen: number }[]): Record<string, unknown> {
  return {
    projectId: p.id,
    code: projectCode(p.serial_no),
    name: p.name,
    status: p.status,
    catalogVersionId: p.catalog_version_id,
    catalogCode: p.catalog_code,
    procedureType: p.procedure_type,
    subject: p.subject,
    regionCode: p.region_code,
    industry: p.industry,
    estimateFen: p.estimate_fen,
    mandatory: p.mandatory,
    ownerOrgId: p.owner_org_id,
    agencyOrgId: p.agency_org_id,
    lots: lots.map((l) => ({ seq: l.seq, name: l.name, estimateFen: l.estimate_fen })),
  };
}
