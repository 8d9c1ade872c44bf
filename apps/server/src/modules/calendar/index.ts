import type { FastifyInstance } from 'fastify';
import { calendarRoutes } from './calendar.routes';

/** Working-day calendar API: public reads for the portal, administrators' edits. The logic lives in platform/calendar. */
export default async function calendarModule(app: FastifyInstance) {
  await calendarRoutes(app);
}
