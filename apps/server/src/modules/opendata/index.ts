import type { FastifyInstance } from 'fastify';
import { opendataRoutes } from './opendata.routes';

/** 开放数据: OCDS 1.1.5 releases and records (bids and lots extensions) of every public change of a process. */
export default async function opendataModule(app: FastifyInstance): Promise<void> {
  await opendataRoutes(app);
}

// The public surface for trading modules: record a release inside the transaction that makes the change.
export { recordOcdsRelease, RELEASE_LEDGER_TYPE } from './opendata.repo';
export type { ProcessSnapshot, ReleaseTag, TenderStatus, ProcurementMethod, BidSnapshot, AwardSnapshot, ContractSnapshot, LotSnapshot, PartySnapshot, DocumentSnapshot } from './ocds.types';
