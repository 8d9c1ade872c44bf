/**
 * What a trading module hands to open data when something public changes: a snapshot of the contracting process
 * in the platform's own units (amounts in integer 分, instants as Dates). `buildRelease` turns it into an OCDS 1.1.5
 * release with the lots and bids extensions. The snapshot says only what is public at `date`; the builder also
 * refuses bid details dated before the opening, as a second line of defence for DOMAIN §7.
 */

/** OCDS closed codelists used here (values outside them are schema errors). */
export type ReleaseTag =
  | 'planning' | 'planningUpdate' | 'tender' | 'tenderAmendment' | 'tenderUpdate' | 'tenderCancellation'
  | 'award' | 'awardUpdate' | 'awardCancellation' | 'contract' | 'contractUpdate' | 'contractAmendment'
  | 'implementation' | 'implementationUpdate' | 'contractTermination';
export type TenderStatus = 'planning' | 'planned' | 'active' | 'cancelled' | 'unsuccessful' | 'complete' | 'withdrawn';
export type ProcurementMethod = 'open' | 'selective' | 'limited' | 'direct';
export type AwardStatus = 'pending' | 'active' | 'cancelled' | 'unsuccessful';
export type ContractStatus = 'pending' | 'active' | 'cancelled' | 'terminated';
export type BidStatus = 'invited' | 'pending' | 'valid' | 'disqualified' | 'withdrawn';
export type MainCategory = 'goods' | 'works' | 'services';

export interface PartySnapshot {
  /** The platform's organisation id; becomes the OCDS party id. */
  orgId: string;
  name: string;
  /** 统一社会信用代码, when the party is an organisation that has one. */
  uscc?: string | null;
  roles: string[];
  regionCode?: string | null;
}

export interface DocumentSnapshot {
  id: string;
  documentType: string;
  title: string;
  url: string;
  datePublished: Date;
  format?: string;
  relatedLots?: string[];
}

export interface LotSnapshot {
  id: string;
  title: string;
  /** Estimate or budget in 分. */
  valueFen?: number | null;
  status?: TenderStatus;
}

export interface BidSnapshot {
  id: string;
  date: Date;
  status: BidStatus;
  bidder: { orgId: string; name: string };
  /** Price read from the opening record (开标一览表), in 分. */
  priceFen?: number | null;
  lotIds: string[];
}

export interface AwardSnapshot {
  id: string;
  title?: string;
  status: AwardStatus;
  date: Date;
  valueFen?: number | null;
  suppliers: { orgId: string; name: string }[];
  lotIds: string[];
  bidId?: string | null;
  documents?: DocumentSnapshot[];
}

export interface ContractSnapshot {
  id: string;
  awardId: string;
  title?: string;
  status: ContractStatus;
  valueFen?: number | null;
  dateSigned?: Date | null;
  period?: { start?: Date | null; end?: Date | null };
  documents?: DocumentSnapshot[];
  /** Performance (履约) milestones reported after signature. */
  transactions?: { id: string; date: Date; valueFen: number; payerOrgId: string; payeeOrgId: string }[];
}

export interface ProcessSnapshot {
  /** The platform's stable id of the contracting process (the tender id); ocid = prefix + '-' + this. */
  processId: string;
  title: string;
  description?: string | null;
  status: TenderStatus;
  procurementMethod: ProcurementMethod;
  /** The procedure in Chinese, e.g. 公开招标, 竞争性磋商. */
  procurementMethodDetails: string;
  mainProcurementCategory?: MainCategory | null;
  valueFen?: number | null;
  tenderPeriod?: { start?: Date | null; end?: Date | null };
  enquiryPeriod?: { start?: Date | null; end?: Date | null };
  awardPeriod?: { start?: Date | null; end?: Date | null };
  buyer: { orgId: string; name: string };
  procuringEntity?: { orgId: string; name: string } | null;
  parties: PartySnapshot[];
  lots: LotSnapshot[];
  documents?: DocumentSnapshot[];
  /** When the bids were opened; bid details are refused before it (who bid is secret until the deadline). */
  openedAt?: Date | null;
  bids?: BidSnapshot[];
  awards?: AwardSnapshot[];
  contracts?: ContractSnapshot[];
  /** A failed tender's re-tender points back to it (and the failed one forward). */
  relatedProcesses?: { id: string; relationship: 'parent' | 'prior' | 'subContract' | 'replacementProcess' | 'unsuccessfulProcess'; processId: string; title: string }[];
}
