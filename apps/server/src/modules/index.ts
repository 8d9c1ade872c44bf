import type { FastifyInstance } from 'fastify';
import announcements from './announcements/index';
import auctions from './auctions/index';
import award from './award/index';
import bidding from './bidding/index';
import calendar from './calendar/index';
import catalog from './catalog/index';
import deposits from './deposits/index';
import devclock from './devclock/index';
import evaluation from './evaluation/index';
import experts from './experts/index';
import expertdraw from './expertdraw/index';
import files from './files/index';
import identity from './identity/index';
import intake from './intake/index';
import lottery from './lottery/index';
import negotiation from './negotiation/index';
import tendering from './tendering/index';
import opendata from './opendata/index';

/**
 * Business modules, registered in this order under the app. Each module's index.ts exports a Fastify plugin as
 * its default export and is the only file other modules may import from.
 * Add one line per module; keep the list alphabetical within its group.
 */
export const modules: { name: string; plugin: (app: FastifyInstance) => Promise<void> }[] = [
  { name: 'announcements', plugin: announcements },
  { name: 'auctions', plugin: auctions },
  { name: 'award', plugin: award },
  { name: 'bidding', plugin: bidding },
  { name: 'calendar', plugin: calendar },
  { name: 'catalog', plugin: catalog },
  { name: 'deposits', plugin: deposits },
  { name: 'devclock', plugin: devclock },
  { name: 'evaluation', plugin: evaluation },
  { name: 'experts', plugin: experts },
  { name: 'expertdraw', plugin: expertdraw },
  { name: 'files', plugin: files },
  { name: 'identity', plugin: identity },
  { name: 'intake', plugin: intake },
  { name: 'lottery', plugin: lottery },
  { name: 'negotiation', plugin: negotiation },
  { name: 'tendering', plugin: tendering },
  { name: 'opendata', plugin: opendata },
];
