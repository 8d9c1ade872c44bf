import type { FastifyInstance } from 'fastify';
import { catalogRoutes } from './catalog.routes';

/** 交易目录: versioned catalog of what is traded, thresholds, procedure types and intake materials. */
export default async function catalogModule(app: FastifyInstance): Promise<void> {
  await catalogRoutes(app);
}

// The public surface other modules, the boot sequence and the demo seed use.
export { ensureCatalogSeeded, INITIAL_CATALOG } from './catalog.seed';
export { getVersionInForce, listEntries } from './catalog.repo';
export { decideMandatory, isLeaf, requiredMaterials, subjectsOf, PROCEDURE_TYPES, SUBJECTS } from './catalog.rules';
export type { CatalogEntry, MaterialSpec, ProcedureType, Subject } from './catalog.rules';
